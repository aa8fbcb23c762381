package dev.portal.ui.catalog;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.StoredEntity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RelationsGraphTests {

    private static final RelationsGraph.Labels LABELS = new RelationsGraph.Labels() {
        @Override
        public String label(EntityRef ref) {
            return ref.name();
        }

        @Override
        public String kind(EntityRef ref) {
            return CatalogViews.capitalized(ref.kind());
        }

        @Override
        public String href(EntityRef ref) {
            return "/portal/" + ref.canonical();
        }
    };

    @Test
    void placesTheEntityInTheMiddleAndNoTwoBoxesOverlap() {
        for (int neighbours : new int[] {1, 3, 8, 16, 30}) {
            StoredEntity group = entity("group:default/team", IntStream.range(0, neighbours)
                    .mapToObj(i -> relation("group:default/team", "hasMember", "user:default/u" + i)).toList());

            GraphView graph = RelationsGraph.layout(group, ref -> Optional.empty(), LABELS);

            GraphView.Node center = graph.nodes().getFirst();
            assertThat(center.center()).isTrue();
            assertThat(graph.nodes()).filteredOn(GraphView.Node::center).hasSize(1);
            assertThat(graph.nodes()).hasSize(Math.min(neighbours, RelationsGraph.MAX_NEIGHBOURS) + 1);
            assertThat(graph.hidden()).isEqualTo(Math.max(0, neighbours - RelationsGraph.MAX_NEIGHBOURS));
            assertNoOverlaps(graph);
        }
    }

    @Test
    void aSystemsGraphAddsThePartsOfItsPartsAndTheirRelationsToEachOther() {
        StoredEntity domain = entity("domain:default/commerce", List.of(
                relation("domain:default/commerce", "hasPart", "system:default/payments")));
        StoredEntity system = entity("system:default/payments", List.of(
                relation("system:default/payments", "partOf", "domain:default/commerce"),
                relation("system:default/payments", "hasPart", "component:default/gateway"),
                relation("system:default/payments", "hasPart", "api:default/payments-api")));
        StoredEntity gateway = entity("component:default/gateway", List.of(
                relation("component:default/gateway", "providesApi", "api:default/payments-api")));
        Map<EntityRef, StoredEntity> known = Map.of(system.ref(), system, gateway.ref(), gateway);

        GraphView graph = RelationsGraph.layout(domain, ref -> Optional.ofNullable(known.get(ref)), LABELS);

        assertThat(graph.nodes()).extracting(GraphView.Node::href).containsExactlyInAnyOrder(
                "/portal/domain:default/commerce", "/portal/system:default/payments",
                "/portal/component:default/gateway", "/portal/api:default/payments-api");
        assertThat(graph.edges()).extracting(GraphView.Edge::label)
                .containsExactlyInAnyOrder("has part", "has part", "has part", "provides API");
        assertNoOverlaps(graph);
    }

    @Test
    void aComponentsGraphDrawsOnlyItsOwnRelations() {
        StoredEntity component = entity("component:default/gateway", List.of(
                relation("component:default/gateway", "partOf", "system:default/payments"),
                relation("component:default/gateway", "providesApi", "api:default/payments-api")));
        StoredEntity system = entity("system:default/payments", List.of(
                relation("system:default/payments", "hasPart", "api:default/payments-api")));

        GraphView graph = RelationsGraph.layout(component,
                ref -> ref.equals(system.ref()) ? Optional.of(system) : Optional.empty(), LABELS);

        assertThat(graph.edges()).extracting(GraphView.Edge::label).containsExactly("part of", "provides API");
        assertThat(graph.edges()).allMatch(GraphView.Edge::primary);
    }

    @Test
    void aSingleNeighbourNeedsNoMoreRoomThanTwoBoxesAndTheirEdge() {
        StoredEntity template = entity("template:default/create-service", List.of(
                relation("template:default/create-service", "ownedBy", "group:default/platform")));

        GraphView graph = RelationsGraph.layout(template, ref -> Optional.empty(), LABELS);

        assertThat(graph.height()).isLessThan(2 * RelationsGraph.NODE_HEIGHT + 200);
        assertThat(graph.width()).isLessThan(2 * RelationsGraph.NODE_WIDTH);
        assertNoOverlaps(graph);
    }

    @Test
    void phrasesRelationTypesAsPeopleReadThem() {
        assertThat(RelationsGraph.phrase("ownedBy")).isEqualTo("owned by");
        assertThat(RelationsGraph.phrase("apiProvidedBy")).isEqualTo("API provided by");
        assertThat(RelationsGraph.phrase("consumesApi")).isEqualTo("consumes API");
    }

    private static void assertNoOverlaps(GraphView graph) {
        List<GraphView.Node> nodes = new ArrayList<>(graph.nodes());
        for (int i = 0; i < nodes.size(); i++) {
            GraphView.Node a = nodes.get(i);
            assertThat(a.x()).isGreaterThanOrEqualTo(0);
            assertThat(a.y()).isGreaterThanOrEqualTo(0);
            assertThat(a.x() + a.width()).isLessThanOrEqualTo(graph.width());
            assertThat(a.y() + a.height()).isLessThanOrEqualTo(graph.height());
            for (int j = i + 1; j < nodes.size(); j++) {
                GraphView.Node b = nodes.get(j);
                boolean apart = a.x() + a.width() <= b.x() || b.x() + b.width() <= a.x()
                        || a.y() + a.height() <= b.y() || b.y() + b.height() <= a.y();
                assertThat(apart).as("%s and %s overlap", a.href(), b.href()).isTrue();
            }
        }
    }

    private static StoredEntity entity(String ref, List<Relation> relations) {
        EntityRef parsed = EntityRef.parse(ref);
        return new StoredEntity(UUID.randomUUID(), parsed, "etag", 1, null, false, "{}", relations);
    }

    private static Relation relation(String source, String type, String target) {
        return new Relation(EntityRef.parse(source), type, EntityRef.parse(target));
    }
}
