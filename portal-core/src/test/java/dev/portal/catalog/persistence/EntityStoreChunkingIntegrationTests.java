package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.Order;
import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.portal.catalog.testing.EntityFixtures.both;
import static dev.portal.catalog.testing.EntityFixtures.entity;
import static dev.portal.db.Tables.SEARCH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stores more entities than one write chunk holds, in one transaction, so chunking of entities,
 * relations and search rows is exercised end to end. Speed is the benchmark's business (CatalogBench).
 */
class EntityStoreChunkingIntegrationTests {

    private static final int ENTITIES = 2_500;

    @Test
    void storesMoreEntitiesThanOneChunkInOneTransaction() {
        try (PostgresDatabase db = PostgresDatabase.create()) {
            List<EntityWrite> writes = new ArrayList<>(ENTITIES);
            for (int i = 0; i < ENTITIES; i++) {
                writes.add(new EntityWrite(component(i), relations(i), null, null));
            }

            List<WriteResult> results = db.dsl().transactionResult(cfg -> EntityStore.jooq(cfg.dsl()).upsert(writes));

            int searchRows = db.dsl().fetchCount(SEARCH);
            var page = EntityQueries.jooq(db.dsl()).query(EntityQuery.of(EntityFilter.equalTo("spec.type", "service"))
                    .orderBy(Order.asc("metadata.name")).limit(50));
            assertThat(results).hasSize(ENTITIES).allMatch(r -> r.outcome() == WriteResult.Outcome.CREATED);
            assertThat(searchRows).isGreaterThan(ENTITIES * 40);
            assertThat(page.totalItems()).isEqualTo(ENTITIES - (ENTITIES + 2) / 3);
            assertThat(EntityQueries.jooq(db.dsl()).byRef(dev.portal.catalog.model.EntityRef.parse("component:svc-02499"))
                    .orElseThrow().relations())
                    .as("its own ownedBy, two dependsOn and providesApi, plus dependencyOf from the two before it")
                    .hasSize(6);
        }
    }

    private static Entity component(int i) {
        return entity("""
                kind: Component
                metadata:
                  name: svc-%1$05d
                  description: Service number %1$d of the throughput catalog
                  labels: {tier: gold, region: eu-%2$d, team: team-%2$d, cost-center: cc-%2$d, probe: bench}
                  annotations:
                    backstage.io/managed-by-location: file:/catalog/svc-%1$05d.yaml
                    backstage.io/managed-by-origin-location: file:/catalog/all.yaml
                    backstage.io/source-location: url:https://git.example/svc-%1$05d
                    backstage.io/techdocs-ref: dir:.
                    github.com/project-slug: example/svc-%1$05d
                    pagerduty.com/service-id: P%1$05d
                  tags: [java, spring, team-%2$d, bench]
                  links:
                    - {url: https://svc-%1$05d.example, title: Home}
                    - {url: https://grafana.example/svc-%1$05d, title: Dashboard}
                spec:
                  type: %3$s
                  lifecycle: production
                  owner: team-%2$d
                  system: system-%2$d
                  dependsOn: [component:svc-%4$05d, component:svc-%5$05d, resource:db-%2$d]
                  providesApis: [api-%1$05d, api-%2$d]
                """.formatted(i, i % 20, i % 3 == 0 ? "website" : "service", (i + 1) % ENTITIES, (i + 2) % ENTITIES));
    }

    private static List<Relation> relations(int i) {
        String self = "component:default/svc-%05d".formatted(i);
        List<Relation> relations = new ArrayList<>(both(self, RelationType.OWNED_BY, "group:team-" + i % 20));
        relations.addAll(both(self, RelationType.DEPENDS_ON, "component:svc-%05d".formatted((i + 1) % ENTITIES)));
        relations.addAll(both(self, RelationType.DEPENDS_ON, "component:svc-%05d".formatted((i + 2) % ENTITIES)));
        relations.addAll(both(self, RelationType.PROVIDES_API, "api:api-%05d".formatted(i)));
        return relations;
    }
}
