package dev.portal.catalog.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.query.InvalidQueryException;
import dev.portal.catalog.query.Order;
import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.portal.catalog.query.EntityFilter.parseBackstageFilters;
import static dev.portal.catalog.testing.EntityFixtures.both;
import static dev.portal.catalog.testing.EntityFixtures.entity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JooqEntityQueriesIntegrationTests {

    private static final EntityFilter MAIN = EntityFilter.equalTo("metadata.labels.set", "main");
    private static final EntityFilter PAGING = EntityFilter.equalTo("metadata.labels.set", "paging");
    private static final EntityFilter TIES = EntityFilter.equalTo("metadata.labels.set", "ties");

    private static PostgresDatabase db;
    private static EntityQueries queries;
    private static final List<UUID> tieUids = new ArrayList<>();

    @BeforeAll
    static void storeCatalog() {
        db = PostgresDatabase.create();
        queries = EntityQueries.jooq(db.dsl());
        EntityStore store = EntityStore.jooq(db.dsl());
        List<EntityWrite> writes = new ArrayList<>();
        writes.add(write(entity("""
                kind: Component
                metadata: {name: svc-a, labels: {set: main, tier: Gold}, tags: [java, Spring]}
                spec: {type: service, lifecycle: production, owner: team-a}
                """), both("component:svc-a", RelationType.OWNED_BY, "group:team-a")));
        writes.add(write(entity("""
                kind: Component
                metadata: {name: svc-b, labels: {set: main}, tags: [go]}
                spec: {type: Website, lifecycle: experimental, owner: team-b}
                """), both("component:svc-b", RelationType.OWNED_BY, "group:team-b")));
        writes.add(write(entity("""
                kind: Component
                metadata: {name: svc-c, labels: {set: main}}
                spec: {type: service, owner: team-a}
                """), both("component:svc-c", RelationType.DEPENDS_ON, "resource:missing-db")));
        writes.add(write(entity("""
                kind: API
                metadata: {name: api-a, labels: {set: main}}
                spec: {type: openapi, lifecycle: production, owner: team-a}
                """), List.of()));
        writes.add(write(entity("""
                kind: Group
                metadata: {name: team-a, labels: {set: main}}
                spec: {type: team}
                """), List.of()));
        for (int i = 1; i <= 7; i++) {
            writes.add(write(entity("""
                    kind: Component
                    metadata: {name: page-%d, labels: {set: paging}}
                    spec: {type: service}
                    """.formatted(i)), List.of()));
        }
        for (int i = 1; i <= 3; i++) {
            writes.add(write(entity("""
                    kind: Component
                    metadata: {name: tie-%d, labels: {set: ties, rank: same}}
                    """.formatted(i)), List.of()));
        }
        writes.add(write(entity("""
                kind: Component
                metadata: {name: tie-unranked, labels: {set: ties}}
                """), List.of()));
        EntityRef many = EntityRef.parse("component:many-relations");
        writes.add(write(entity("""
                kind: Component
                metadata: {name: many-relations, labels: {set: relations}}
                """), List.of(new Relation(many, "ownedBy", EntityRef.parse("group:team-b")),
                new Relation(many, "dependsOn", EntityRef.parse("resource:db-2")),
                new Relation(many, "dependsOn", EntityRef.parse("resource:db-1")),
                new Relation(many, "ownedBy", EntityRef.parse("group:team-b")))));
        store.upsert(writes).stream().filter(r -> r.ref().name().matches("tie-\\d"))
                .forEach(r -> tieUids.add(r.uid()));
        tieUids.sort(Comparator.naturalOrder());
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static EntityWrite write(Entity entity, List<Relation> relations) {
        return new EntityWrite(entity, relations, null, null);
    }

    private static List<String> names(List<StoredEntity> entities) {
        return entities.stream().map(e -> e.ref().name()).toList();
    }

    private static List<String> list(EntityFilter filter) {
        return names(queries.list(filter, List.of(), 0, null));
    }

    private static EntityFilter main(String... backstageFilters) {
        return EntityFilter.all(MAIN, parseBackstageFilters(List.of(backstageFilters)));
    }

    @Test
    void andsTheConditionsWithinOneFilter() {
        assertThat(list(main("kind=component,spec.type=service"))).containsExactly("svc-a", "svc-c");
    }

    @Test
    void orsSeveralFilters() {
        assertThat(list(main("kind=api", "spec.type=website"))).containsExactly("api-a", "svc-b");
    }

    @Test
    void matchesABareKeyByExistence() {
        assertThat(list(main("metadata.tags"))).containsExactly("svc-a", "svc-b");
    }

    @Test
    void matchesKeysAndValuesCaseInsensitively() {
        assertThat(list(main("KIND=Component,Spec.Type=WEBSITE,metadata.labels.TIER"))).isEmpty();
        assertThat(list(main("KIND=Component,Spec.Type=WEBSITE"))).containsExactly("svc-b");
        assertThat(list(main("Metadata.Labels.Tier=gold"))).containsExactly("svc-a");
    }

    @Test
    void matchesArrayElementsByValueAndByExistenceKey() {
        assertThat(list(main("metadata.tags=java"))).containsExactly("svc-a");
        assertThat(list(main("metadata.tags.spring"))).containsExactly("svc-a");
    }

    @Test
    void matchesRelationsByLowerCasedTypeAndTargetRef() {
        assertThat(list(main("relations.ownedby=group:default/team-a"))).containsExactly("svc-a");
        assertThat(list(main("relations.ownerOf=Component:default/SVC-A"))).containsExactly("team-a");
        assertThat(list(main("relations.dependson"))).containsExactly("svc-c");
    }

    @Test
    void negatesPredicates() {
        assertThat(list(EntityFilter.all(MAIN, EntityFilter.not(EntityFilter.equalTo("kind", "component")))))
                .containsExactly("api-a", "team-a");
    }

    @Test
    void listsByEntityRefWithoutOrder() {
        assertThat(queries.list(MAIN, List.of(), 0, null)).extracting(e -> e.ref().canonical()).containsExactly(
                "api:default/api-a", "component:default/svc-a", "component:default/svc-b",
                "component:default/svc-c", "group:default/team-a");
    }

    @Test
    void listsEntitiesLackingTheOrderFieldLast() {
        // svc-a and api-a tie on "production" and were stored in that order, so by ascending uid.
        assertThat(names(queries.list(MAIN, List.of(Order.desc("spec.lifecycle")), 0, null)))
                .containsExactly("svc-a", "api-a", "svc-b", "svc-c", "team-a");
    }

    @Test
    void listsAPageWithOffsetAndLimit() {
        assertThat(names(queries.list(PAGING, List.of(Order.asc("metadata.name")), 2, 3)))
                .containsExactly("page-3", "page-4", "page-5");
    }

    @Test
    void findsByRefsInRequestOrderWithEmptySlotsForMissingOrFilteredOut() {
        List<Optional<StoredEntity>> found = queries.byRefs(List.of(
                        EntityRef.parse("component:svc-b"), EntityRef.parse("component:nope"),
                        EntityRef.parse("API:default/API-A"), EntityRef.parse("group:team-a")),
                EntityFilter.exists("spec.lifecycle"));

        assertThat(found).hasSize(4);
        assertThat(found.get(0)).get().extracting(e -> e.ref().name()).isEqualTo("svc-b");
        assertThat(found.get(1)).isEmpty();
        assertThat(found.get(2)).get().extracting(e -> e.ref().name()).isEqualTo("api-a");
        assertThat(found.get(3)).isEmpty();
    }

    @Test
    void readsRelationsWithTheEntityOrderedByTypeThenTarget() {
        assertThat(queries.byRef(EntityRef.parse("group:team-a")).orElseThrow().relations())
                .containsExactly(new Relation(EntityRef.parse("group:team-a"), "ownerOf",
                        EntityRef.parse("component:default/svc-a")));
    }

    @Test
    void readsEachRelationOnceOrderedByTypeThenTarget() {
        EntityRef many = EntityRef.parse("component:many-relations");

        StoredEntity stored = queries.byRef(many).orElseThrow();
        assertThat(stored.relations()).containsExactly(
                new Relation(many, "dependsOn", EntityRef.parse("resource:db-1")),
                new Relation(many, "dependsOn", EntityRef.parse("resource:db-2")),
                new Relation(many, "ownedBy", EntityRef.parse("group:team-b")));
        // the same, as the API writes them: type and canonical target without making a Relation
        assertThat(IntStream.range(0, stored.relationCount())
                .mapToObj(i -> stored.relationType(i) + " " + stored.relationTargetRef(i)))
                .containsExactly("dependsOn resource:default/db-1", "dependsOn resource:default/db-2",
                        "ownedBy group:default/team-b");
    }

    @Test
    void keepsTheStoredDocumentAsTheEntitysJsonText() throws Exception {
        StoredEntity svc = queries.byRef(EntityRef.parse("component:svc-a")).orElseThrow();

        assertThat(new ObjectMapper().readTree(svc.document())).isEqualTo(svc.entity().toJson());
        assertThat(svc.document()).doesNotContain("relations");
    }

    @Test
    void queriesInAscendingAndDescendingOrder() {
        EntityQuery query = EntityQuery.of(PAGING).limit(3);
        assertThat(names(queries.query(query.orderBy(Order.asc("metadata.name"))).items()))
                .containsExactly("page-1", "page-2", "page-3");
        assertThat(names(queries.query(query.orderBy(Order.desc("metadata.name"))).items()))
                .containsExactly("page-7", "page-6", "page-5");
    }

    @Test
    void breaksOrderTiesByUid() {
        EntityPage<StoredEntity> ascending = queries.query(EntityQuery.of(TIES).orderBy(Order.asc("metadata.labels.rank")));
        EntityPage<StoredEntity> descending = queries.query(EntityQuery.of(TIES).orderBy(Order.desc("metadata.labels.rank")));

        assertThat(ascending.items()).extracting(StoredEntity::uid).containsExactlyElementsOf(tieUids);
        assertThat(descending.items()).extracting(StoredEntity::uid).containsExactlyElementsOf(tieUids.reversed());
    }

    @Test
    void leavesEntitiesLackingTheOrderFieldOutOfItemsAndTotal() {
        EntityPage<StoredEntity> page = queries.query(EntityQuery.of(TIES).orderBy(Order.asc("metadata.labels.rank")));

        assertThat(names(page.items())).doesNotContain("tie-unranked").hasSize(3);
        assertThat(page.totalItems()).isEqualTo(3);
    }

    @Test
    void countsAllMatchesRegardlessOfTheLimit() {
        EntityPage<StoredEntity> page = queries.query(EntityQuery.of(PAGING).limit(2));

        assertThat(page.items()).hasSize(2);
        assertThat(page.totalItems()).isEqualTo(7);
    }

    @Test
    void queriesInUidOrderWithoutAnOrderField() {
        EntityPage<StoredEntity> page = queries.query(EntityQuery.of(TIES));

        assertThat(page.items()).extracting(StoredEntity::uid).isSorted().hasSize(4);
    }

    @Test
    void skipsTheOffsetOnTheFirstPage() {
        EntityPage<StoredEntity> page = queries.query(EntityQuery.of(PAGING).orderBy(Order.asc("metadata.name"))
                .offset(2).limit(2));

        assertThat(names(page.items())).containsExactly("page-3", "page-4");
        assertThat(page.prevCursor()).isPresent();
    }

    @Test
    void pagesForwardWithNextCursorsAndBackWithPrevCursors() {
        EntityPage<StoredEntity> first = queries.query(EntityQuery.of(PAGING).orderBy(Order.asc("metadata.name")).limit(3));
        EntityPage<StoredEntity> second = queries.query(EntityQuery.fromCursor(first.nextCursor().orElseThrow(), null));
        EntityPage<StoredEntity> third = queries.query(EntityQuery.fromCursor(second.nextCursor().orElseThrow(), null));
        EntityPage<StoredEntity> backToSecond = queries.query(EntityQuery.fromCursor(third.prevCursor().orElseThrow(), null));
        EntityPage<StoredEntity> backToFirst = queries.query(EntityQuery.fromCursor(backToSecond.prevCursor().orElseThrow(), null));

        assertThat(names(first.items())).containsExactly("page-1", "page-2", "page-3");
        assertThat(first.prevCursor()).isEmpty();
        assertThat(names(second.items())).containsExactly("page-4", "page-5", "page-6");
        assertThat(names(third.items())).containsExactly("page-7");
        assertThat(third.nextCursor()).isEmpty();
        assertThat(names(backToSecond.items())).containsExactly("page-4", "page-5", "page-6");
        assertThat(backToSecond.nextCursor()).isPresent();
        assertThat(names(backToFirst.items())).containsExactly("page-1", "page-2", "page-3");
        assertThat(backToFirst.prevCursor()).isEmpty();
        assertThat(List.of(first, second, third, backToSecond, backToFirst))
                .extracting(EntityPage::totalItems).containsOnly(7L);
    }

    @Test
    void pagesAlikeWhetherTheFilterIsPlainTermsOrNeedsOtherSql() {
        // kind=component AND set=paging is plain terms (one statement per shape, rendered once);
        // wrapping the set in an OR of one is the same filter built per call
        EntityFilter terms = EntityFilter.all(EntityFilter.equalTo("kind", "component"), PAGING);
        EntityFilter other = EntityFilter.all(EntityFilter.equalTo("kind", "component"), EntityFilter.any(PAGING));
        for (Order order : List.of(Order.asc("metadata.name"), Order.desc("metadata.name"))) {
            List<List<String>> byTerms = walk(EntityQuery.of(terms).orderBy(order).limit(2));
            assertThat(walk(EntityQuery.of(other).orderBy(order).limit(2))).isEqualTo(byTerms);
            assertThat(byTerms.stream().flatMap(List::stream).distinct()).hasSize(7);
        }
        assertThat(walk(EntityQuery.of(other).limit(3))).isEqualTo(walk(EntityQuery.of(terms).limit(3)));
    }

    @Test
    void treatsAnEmptyAndNestedInAnotherFilterAsMatchingEverything() {
        // nested ANDs are folded into their parent: an empty one must stay "everything" wherever it is
        EntityFilter everything = EntityFilter.all(EntityFilter.all());

        assertThat(queries.query(EntityQuery.of(EntityFilter.all(PAGING, everything))).totalItems()).isEqualTo(7);
        assertThat(queries.query(EntityQuery.of(EntityFilter.all(PAGING, EntityFilter.not(everything)))).totalItems())
                .isZero();
        assertThat(queries.query(EntityQuery.of(EntityFilter.all(PAGING, EntityFilter.any(everything, TIES))))
                .totalItems()).isEqualTo(7);
        assertThat(queries.list(EntityFilter.all(PAGING, EntityFilter.not(everything)), List.of(), 0, null)).isEmpty();
    }

    /** The names on each page, following next cursors to the end and then prev cursors back to the start. */
    private static List<List<String>> walk(EntityQuery query) {
        List<List<String>> pages = new ArrayList<>();
        EntityPage<StoredEntity> page = queries.query(query);
        pages.add(names(page.items()));
        while (page.nextCursor().isPresent()) {
            page = queries.query(EntityQuery.fromCursor(page.nextCursor().get(), null));
            pages.add(names(page.items()));
        }
        while (page.prevCursor().isPresent()) {
            page = queries.query(EntityQuery.fromCursor(page.prevCursor().get(), null));
            pages.add(names(page.items()));
        }
        assertThat(page.totalItems()).isEqualTo(7);
        return pages;
    }

    @Test
    void pagesDescendingWithCursors() {
        EntityPage<StoredEntity> first = queries.query(EntityQuery.of(PAGING).orderBy(Order.desc("metadata.name")).limit(4));
        EntityPage<StoredEntity> second = queries.query(EntityQuery.fromCursor(first.nextCursor().orElseThrow(), null));
        EntityPage<StoredEntity> back = queries.query(EntityQuery.fromCursor(second.prevCursor().orElseThrow(), null));

        assertThat(names(second.items())).containsExactly("page-3", "page-2", "page-1");
        assertThat(names(back.items())).containsExactly("page-7", "page-6", "page-5", "page-4");
    }

    @Test
    void pagesInUidOrderWithCursors() {
        EntityPage<StoredEntity> first = queries.query(EntityQuery.of(PAGING).limit(5));
        EntityPage<StoredEntity> second = queries.query(EntityQuery.fromCursor(first.nextCursor().orElseThrow(), null));

        List<UUID> uids = new ArrayList<>(first.items().stream().map(StoredEntity::uid).toList());
        second.items().forEach(e -> uids.add(e.uid()));
        assertThat(uids).hasSize(7).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void issuesCursorsWithoutAQueryKeySoBackstageClientsFollowWithGet() throws Exception {
        String cursor = queries.query(EntityQuery.of(PAGING).limit(2)).nextCursor().orElseThrow();

        var json = new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        assertThat(json.isObject()).isTrue();
        assertThat(json.has("query")).isFalse();
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void rejectsACursorThatIsNotBase64Json() {
        assertThatThrownBy(() -> queries.query(EntityQuery.fromCursor("not a cursor!", null)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("invalid cursor");
    }

    @Test
    void rejectsATamperedCursorNamingTheProblem() {
        String tampered = Base64.getUrlEncoder().encodeToString(
                "{\"filter\":{},\"fullTextFields\":[],\"limit\":3,\"direction\":\"sideways\",\"uid\":\"x\"}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> queries.query(EntityQuery.fromCursor(tampered, null)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("invalid cursor: 'direction' must be next or prev");
    }

    @Test
    void filtersByFullTextSubstringCaseInsensitively() {
        EntityPage<StoredEntity> page = queries.query(EntityQuery.of(MAIN).orderBy(Order.asc("metadata.name"))
                .fullText("VC-", List.of()));

        assertThat(names(page.items())).containsExactly("svc-a", "svc-b", "svc-c");
        assertThat(page.totalItems()).isEqualTo(3);
    }

    @Test
    void searchesTheGivenFullTextFields() {
        EntityPage<StoredEntity> page = queries.query(EntityQuery.of(MAIN).orderBy(Order.asc("metadata.name"))
                .fullText("WEB", List.of("spec.type")));

        assertThat(names(page.items())).containsExactly("svc-b");
    }

    @Test
    void keepsTheFullTextTermAcrossCursorPages() {
        EntityPage<StoredEntity> first = queries.query(EntityQuery.of(MAIN).orderBy(Order.asc("metadata.name"))
                .fullText("svc", List.of()).limit(2));
        EntityPage<StoredEntity> second = queries.query(EntityQuery.fromCursor(first.nextCursor().orElseThrow(), null));

        assertThat(names(second.items())).containsExactly("svc-c");
        assertThat(second.totalItems()).isEqualTo(3);
    }

    @Test
    void countsFacetValuesInTheirOriginalCase() {
        assertThat(queries.facets(List.of("kind", "spec.type"), MAIN)).containsExactly(
                java.util.Map.entry("kind", List.of(new FacetCount("API", 1), new FacetCount("Component", 3),
                        new FacetCount("Group", 1))),
                java.util.Map.entry("spec.type", List.of(new FacetCount("Website", 1), new FacetCount("openapi", 1),
                        new FacetCount("service", 2), new FacetCount("team", 1))));
    }

    @Test
    void countsEachArrayElementAndSkipsEntitiesLackingTheField() {
        assertThat(queries.facets(List.of("metadata.tags"), MAIN).get("metadata.tags")).containsExactly(
                new FacetCount("Spring", 1), new FacetCount("go", 1), new FacetCount("java", 1));
    }

    @Test
    void countsRelationFacetsByTarget() {
        assertThat(queries.facets(List.of("relations.ownedBy"), MAIN).get("relations.ownedBy")).containsExactly(
                new FacetCount("group:default/team-a", 1), new FacetCount("group:default/team-b", 1));
    }

    @Test
    void countsFacetsOfTheEntitiesAFullTextTermMatches() {
        assertThat(queries.facets(List.of("kind", "relations.ownedBy"), MAIN, "SVC", List.of("metadata.name")))
                .containsExactly(
                        java.util.Map.entry("kind", List.of(new FacetCount("Component", 3))),
                        java.util.Map.entry("relations.ownedBy", List.of(new FacetCount("group:default/team-a", 1),
                                new FacetCount("group:default/team-b", 1))));
        assertThat(queries.facets(List.of("kind"), MAIN, "api-", List.of("metadata.name"))
                .get("kind")).containsExactly(new FacetCount("API", 1));
    }

    @Test
    void refusesAFullTextTermWithoutFieldsForFacets() {
        assertThatThrownBy(() -> queries.facets(List.of("kind"), MAIN, "svc", List.of()))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("fields");
    }

    @Test
    void tellsWhichRefsExist() {
        assertThat(queries.existing(List.of(EntityRef.parse("Component:SVC-A"), EntityRef.parse("component:ghost"))))
                .containsExactly(EntityRef.parse("component:default/svc-a"));
    }

    @Test
    void listsRelationsWhoseTargetDoesNotExist() {
        assertThat(queries.danglingRelations(EntityRef.parse("component:svc-c"))).containsExactly(
                new Relation(EntityRef.parse("component:svc-c"), "dependsOn", EntityRef.parse("resource:default/missing-db")));
        assertThat(queries.danglingRelations(EntityRef.parse("component:svc-a"))).isEmpty();
    }

    @Test
    void findsEntitiesByUid() {
        StoredEntity svc = queries.byRef(EntityRef.parse("component:svc-a")).orElseThrow();

        assertThat(queries.byUid(svc.uid())).get().extracting(StoredEntity::ref).isEqualTo(svc.ref());
        assertThat(queries.byUid(UUID.randomUUID())).isEmpty();
    }
}
