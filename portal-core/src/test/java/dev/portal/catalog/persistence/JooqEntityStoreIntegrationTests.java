package dev.portal.catalog.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.search.FilterTerms;
import dev.portal.catalog.search.SearchRows;
import dev.portal.catalog.testing.PostgresDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static dev.portal.catalog.testing.EntityFixtures.both;
import static dev.portal.catalog.testing.EntityFixtures.component;
import static dev.portal.db.Tables.ENTITIES;
import static dev.portal.db.Tables.LOCATIONS;
import static dev.portal.db.Tables.RELATIONS;
import static dev.portal.db.Tables.SEARCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JooqEntityStoreIntegrationTests {

    private static PostgresDatabase db;
    private static DSLContext dsl;
    private static EntityStore store;
    private static EntityQueries queries;

    @BeforeAll
    static void createDatabase() {
        db = PostgresDatabase.create();
        dsl = db.dsl();
        store = EntityStore.jooq(dsl);
        queries = EntityQueries.jooq(dsl);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static WriteResult upsert(Entity entity, List<Relation> relations) {
        return store.upsert(List.of(new EntityWrite(entity, relations, null, null))).getFirst();
    }

    private static StoredEntity read(String ref) {
        return queries.byRef(EntityRef.parse(ref)).orElseThrow();
    }

    @Test
    void createsAnEntityWithUidEtagAndFirstGeneration() {
        WriteResult result = upsert(component("create-me", "service", "team-a"), List.of());

        StoredEntity stored = read("component:default/create-me");
        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.CREATED);
        assertThat(stored.uid()).isEqualTo(result.uid());
        assertThat(stored.generation()).isEqualTo(1);
        assertThat(stored.entity().uid()).contains(result.uid().toString());
        assertThat(stored.entity().etag()).contains(result.etag());
    }

    @Test
    void leavesUnchangedContentAloneWithTheSameEtag() {
        WriteResult first = upsert(component("same", "service", "team-a"), both("component:same", RelationType.OWNED_BY, "group:team-a"));
        WriteResult second = upsert(component("same", "service", "team-a"), both("component:same", RelationType.OWNED_BY, "group:team-a"));

        assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.UNCHANGED);
        assertThat(second.etag()).isEqualTo(first.etag());
        assertThat(read("component:default/same").generation()).isEqualTo(1);
    }

    @Test
    void givesChangedContentANewEtagAndTheNextGenerationKeepingTheUid() {
        WriteResult first = upsert(component("changes", "service", "team-a"), List.of());
        WriteResult second = upsert(component("changes", "website", "team-a"), List.of());

        StoredEntity stored = read("component:default/changes");
        assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.UPDATED);
        assertThat(second.uid()).isEqualTo(first.uid());
        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(stored.generation()).isEqualTo(2);
        assertThat(stored.entity().spec().path("type").asText()).isEqualTo("website");
    }

    @Test
    void treatsChangedRelationsAsChangedContent() {
        upsert(component("rel-change", "service", "team-a"), both("component:rel-change", RelationType.OWNED_BY, "group:team-a"));
        WriteResult second = upsert(component("rel-change", "service", "team-a"),
                both("component:rel-change", RelationType.OWNED_BY, "group:team-b"));

        assertThat(second.outcome()).isEqualTo(WriteResult.Outcome.UPDATED);
    }

    @Test
    void showsRelationsFromBothEnds() {
        upsert(component("both-ends", "service", "team-both"), both("component:both-ends", RelationType.OWNED_BY, "group:team-both"));

        assertThat(read("component:default/both-ends").relations()).containsExactly(
                new Relation(EntityRef.parse("component:default/both-ends"), "ownedBy", EntityRef.parse("group:default/team-both")));
        upsert(component("team-both", "x", "y").with(json -> json.put("kind", "Group")), List.of());
        assertThat(read("group:default/team-both").relations()).containsExactly(
                new Relation(EntityRef.parse("group:default/team-both"), "ownerOf", EntityRef.parse("component:default/both-ends")));
    }

    @Test
    void replacesTheRelationsAnEntityProducedOnUpdate() {
        upsert(component("replaced", "service", "team-old"), both("component:replaced", RelationType.OWNED_BY, "group:team-old"));
        upsert(component("replaced", "service", "team-new"), both("component:replaced", RelationType.OWNED_BY, "group:team-new"));

        assertThat(read("component:default/replaced").relations()).extracting(r -> r.target().canonical())
                .containsExactly("group:default/team-new");
        assertThat(dsl.fetchCount(RELATIONS, RELATIONS.TARGET_ENTITY_REF.eq("component:default/replaced")
                .and(RELATIONS.SOURCE_ENTITY_REF.eq("group:default/team-old")))).isZero();
    }

    @Test
    void replacesSearchRowsOnUpdate() {
        WriteResult result = upsert(component("reindexed", "service", "team-a"), List.of());
        upsert(component("reindexed", "website", "team-a"), List.of());

        assertThat(dsl.select(SEARCH.VALUE).from(SEARCH)
                .where(SEARCH.ENTITY_ID.eq(result.uid())).and(SEARCH.KEY.eq("spec.type"))
                .fetch(SEARCH.VALUE)).containsExactly("website");
    }

    @Test
    void storesSearchRowsAndRelationsExactlyWhateverCharactersTheyHold() {
        // Relation and search rows are written with COPY's text format, documents and filter terms inside array
        // literals: what either escapes must come back as it went in.
        String description = "tab\there, line\nfeed, return\r, back\\slash, \\N, \"quoted\", {braces,commas}, Ünïcødé";
        Relation odd = new Relation(EntityRef.parse("component:default/escaped"), "tab\tand\\backslash",
                EntityRef.parse("group:default/team-a"));
        WriteResult result = upsert(component("escaped", "service", "team-a").with(json -> {
            ObjectNode metadata = (ObjectNode) json.get("metadata");
            metadata.put("description", description);
            metadata.put("title", "t".repeat(SearchRows.MAX_VALUE_LENGTH + 1));
        }), List.of(odd));

        assertThat(dsl.select(SEARCH.VALUE, SEARCH.ORIGINAL_VALUE).from(SEARCH)
                .where(SEARCH.ENTITY_ID.eq(result.uid())).and(SEARCH.KEY.eq("metadata.description"))
                .fetchOne().intoList()).containsExactly(description.toLowerCase(Locale.ROOT), description);
        assertThat(dsl.select(SEARCH.VALUE, SEARCH.ORIGINAL_VALUE).from(SEARCH)
                .where(SEARCH.ENTITY_ID.eq(result.uid())).and(SEARCH.KEY.eq("metadata.title"))
                .fetchOne().intoList()).containsExactly(null, null);
        assertThat(read("component:default/escaped").relations()).containsExactly(odd);
        assertThat(read("component:default/escaped").entity().json().path("metadata").path("description").asText())
                .isEqualTo(description);
        assertThat(dsl.select(ENTITIES.SEARCH_TERMS).from(ENTITIES).where(ENTITIES.ENTITY_ID.eq(result.uid()))
                .fetchOne(ENTITIES.SEARCH_TERMS))
                .contains(FilterTerms.of("metadata.description", description.toLowerCase(Locale.ROOT)), "metadata.title");
    }

    @Test
    void refusesAStaleEtagAndWritesNothingOfTheBatch() {
        WriteResult stored = upsert(component("guarded", "service", "team-a"), List.of());
        upsert(component("guarded", "website", "team-a"), List.of());

        assertThatThrownBy(() -> store.upsert(List.of(
                new EntityWrite(component("guarded-sibling", "service", "team-a"), List.of(), null, null),
                new EntityWrite(component("guarded", "library", "team-a"), List.of(), null, stored.etag()))))
                .isInstanceOf(StaleEntityException.class)
                .hasMessageContaining("component:default/guarded");
        assertThat(read("component:default/guarded").entity().spec().path("type").asText()).isEqualTo("website");
        assertThat(queries.byRef(EntityRef.parse("component:default/guarded-sibling"))).isEmpty();
    }

    @Test
    void acceptsTheCurrentEtag() {
        WriteResult stored = upsert(component("current", "service", "team-a"), List.of());

        WriteResult result = store.upsert(List.of(
                new EntityWrite(component("current", "website", "team-a"), List.of(), null, stored.etag()))).getFirst();
        assertThat(result.outcome()).isEqualTo(WriteResult.Outcome.UPDATED);
    }

    @Test
    void marksOrphansWithTheAnnotationAndANewEtag() {
        WriteResult stored = upsert(component("orphan", "service", "team-a"), List.of());

        assertThat(store.markOrphaned(List.of(stored.uid()))).isEqualTo(1);
        assertThat(store.markOrphaned(List.of(stored.uid()))).isZero();
        StoredEntity orphan = read("component:default/orphan");
        assertThat(orphan.orphan()).isTrue();
        assertThat(orphan.entity().annotation(Entity.ORPHAN)).contains("true");
        assertThat(orphan.etag()).isNotEqualTo(stored.etag()).isEqualTo(orphan.entity().etag().orElseThrow());
    }

    @Test
    void clearsTheOrphanMarkOnTheNextUpsert() {
        WriteResult stored = upsert(component("adopted", "service", "team-a"), List.of());
        store.markOrphaned(List.of(stored.uid()));

        WriteResult again = upsert(component("adopted", "service", "team-a"), List.of());
        StoredEntity adopted = read("component:default/adopted");
        assertThat(again.outcome()).isEqualTo(WriteResult.Outcome.UPDATED);
        assertThat(adopted.orphan()).isFalse();
        assertThat(adopted.entity().annotation(Entity.ORPHAN)).isEmpty();
    }

    @Test
    void deletesOrphansOnlyWithTheirRelationsAndSearchRows() {
        WriteResult orphan = upsert(component("to-delete", "service", "team-a"),
                both("component:to-delete", RelationType.OWNED_BY, "group:team-a"));
        upsert(component("to-keep", "service", "team-a"), List.of());
        store.markOrphaned(List.of(orphan.uid()));

        assertThat(store.deleteOrphans()).isEqualTo(1);
        assertThat(queries.byUid(orphan.uid())).isEmpty();
        assertThat(dsl.fetchCount(SEARCH, SEARCH.ENTITY_ID.eq(orphan.uid()))).isZero();
        assertThat(dsl.fetchCount(RELATIONS, RELATIONS.ORIGINATING_ENTITY_ID.eq(orphan.uid()))).isZero();
        assertThat(queries.byRef(EntityRef.parse("component:to-keep"))).isPresent();
    }

    @Test
    void deletesByUidWithRelationsAndSearchRows() {
        WriteResult stored = upsert(component("deleted", "service", "team-del"), both("component:deleted", RelationType.OWNED_BY, "group:team-del"));

        assertThat(store.deleteByUid(stored.uid())).isTrue();
        assertThat(store.deleteByUid(stored.uid())).isFalse();
        assertThat(dsl.fetchCount(SEARCH, SEARCH.ENTITY_ID.eq(stored.uid()))).isZero();
        assertThat(dsl.fetchCount(RELATIONS, RELATIONS.ORIGINATING_ENTITY_ID.eq(stored.uid()))).isZero();
    }

    @Test
    void findsHeadsCaseInsensitivelyAndByLocation() {
        UUID location = UUID.randomUUID();
        dsl.insertInto(LOCATIONS, LOCATIONS.ID, LOCATIONS.TYPE, LOCATIONS.TARGET, LOCATIONS.ORIGIN)
                .values(location, "file", "/" + location, "api").execute();
        Entity registered = component("headed", "service", "team-a").with(json -> ((ObjectNode) json.get("metadata"))
                .putObject("annotations").put(Entity.MANAGED_BY_ORIGIN_LOCATION, "file:/srv/catalog/all.yaml"));
        WriteResult stored = store.upsert(List.of(new EntityWrite(registered, List.of(), location, null))).getFirst();

        assertThat(store.heads(List.of(EntityRef.parse("COMPONENT:Default/HEADED"))))
                .containsOnlyKeys(EntityRef.parse("component:default/headed"))
                .extractingByKey(EntityRef.parse("component:default/headed"))
                .isEqualTo(new EntityHead(stored.uid(), EntityRef.parse("Component:default/headed"), location,
                        stored.etag(), store.headsByLocation(location).getFirst().contentHash(), false,
                        "file:/srv/catalog/all.yaml"));
        assertThat(store.headsByLocation(location)).extracting(EntityHead::uid).containsExactly(stored.uid());
    }

    @Test
    void writesTheSameRefTwiceInOneBatchInOrder() {
        List<WriteResult> results = store.upsert(List.of(
                new EntityWrite(component("twice", "service", "team-a"), List.of(), null, null),
                new EntityWrite(component("twice", "website", "team-a"), List.of(), null, null)));

        assertThat(results).extracting(WriteResult::outcome)
                .containsExactly(WriteResult.Outcome.CREATED, WriteResult.Outcome.UPDATED);
        assertThat(read("component:default/twice").entity().spec().path("type").asText()).isEqualTo("website");
    }

    @Test
    void findsEntitiesByRefCaseInsensitively() {
        WriteResult stored = upsert(component("MixedCase", "service", "team-a"), List.of());

        assertThat(queries.byRef(EntityRef.parse("COMPONENT:DEFAULT/mixedcase")))
                .get().extracting(StoredEntity::uid).isEqualTo(stored.uid());
    }
}
