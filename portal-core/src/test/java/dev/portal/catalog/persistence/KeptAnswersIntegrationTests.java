package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static dev.portal.catalog.testing.EntityFixtures.both;
import static dev.portal.catalog.testing.EntityFixtures.entity;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Facet counts and totals are kept between reads under the catalog's version: a reader never gets
 * a kept answer once a write has been acknowledged, whichever way the write reached the tables.
 */
class KeptAnswersIntegrationTests {

    private PostgresDatabase db;
    private EntityStore store;
    private EntityQueries queries;

    @BeforeEach
    void storeTwoComponents() {
        db = PostgresDatabase.create();
        store = EntityStore.jooq(db.dsl());
        queries = EntityQueries.jooq(db.dsl());
        store.upsert(List.of(component("svc-a", "service", "team-a"), component("svc-b", "website", "team-a")));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private static EntityWrite component(String name, String type, String owner) {
        Entity entity = entity("""
                kind: Component
                metadata: {name: %s}
                spec: {type: %s, lifecycle: production, owner: %s}
                """.formatted(name, type, owner));
        return new EntityWrite(entity, both("component:" + name, RelationType.OWNED_BY, "group:" + owner), null, null);
    }

    private List<FacetCount> types() {
        return queries.facets(List.of("spec.type"), EntityFilter.equalTo("kind", "component")).get("spec.type");
    }

    private List<FacetCount> owners() {
        return queries.facets(List.of("relations.ownedBy"), EntityFilter.everything()).get("relations.ownedBy");
    }

    @Test
    void facetCountsFollowEveryAcknowledgedWrite() {
        assertThat(types()).containsExactly(new FacetCount("service", 1), new FacetCount("website", 1));
        assertThat(owners()).containsExactly(new FacetCount("group:default/team-a", 2));

        store.upsert(List.of(component("svc-c", "service", "team-b")));
        assertThat(types()).containsExactly(new FacetCount("service", 2), new FacetCount("website", 1));
        assertThat(owners()).containsExactly(new FacetCount("group:default/team-a", 2),
                new FacetCount("group:default/team-b", 1));

        store.upsert(List.of(component("svc-b", "service", "team-b")));
        assertThat(types()).containsExactly(new FacetCount("service", 3));
        assertThat(owners()).containsExactly(new FacetCount("group:default/team-a", 1),
                new FacetCount("group:default/team-b", 2));

        UUID svcA = queries.byRef(dev.portal.catalog.model.EntityRef.parse("component:svc-a")).orElseThrow().uid();
        store.deleteByUid(svcA);
        assertThat(types()).containsExactly(new FacetCount("service", 2));
        assertThat(owners()).containsExactly(new FacetCount("group:default/team-b", 2));
    }

    @Test
    void queryTotalsFollowEveryAcknowledgedWrite() {
        EntityQuery services = EntityQuery.of(EntityFilter.equalTo("spec.type", "service")).limit(1);
        assertThat(queries.query(services).totalItems()).isEqualTo(1);

        store.upsert(List.of(component("svc-b", "service", "team-a")));
        EntityPage<StoredEntity> page = queries.query(services);
        assertThat(page.totalItems()).isEqualTo(2);
        // the next page, through the cursor, after one more write
        store.upsert(List.of(component("svc-c", "service", "team-a")));
        assertThat(queries.query(EntityQuery.fromCursor(page.nextCursor().orElseThrow(), null)).totalItems()).isEqualTo(3);
        // past the end: no rows carry the version, the total is counted
        assertThat(queries.query(services.offset(10)).totalItems()).isEqualTo(3);
    }

    @Test
    void aWriteThatBypassesTheStoreMovesTheVersionToo() throws SQLException {
        assertThat(types()).containsExactly(new FacetCount("service", 1), new FacetCount("website", 1));

        try (Connection connection = db.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("truncate portal.search");
        }
        assertThat(types()).isEmpty();
    }

    @Test
    void aWriteThatRollsBackLeavesTheKeptAnswersValid() throws SQLException {
        assertThat(types()).containsExactly(new FacetCount("service", 1), new FacetCount("website", 1));
        long before = version();

        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute("delete from portal.entities");
            }
            connection.rollback();
        }
        assertThat(version()).isEqualTo(before);
        assertThat(types()).containsExactly(new FacetCount("service", 1), new FacetCount("website", 1));
    }

    @Test
    void oneTransactionMovesTheVersionOnceHoweverManyEntitiesItWrites() throws SQLException {
        long before = version();
        store.upsert(List.of(component("svc-c", "service", "team-b"), component("svc-d", "service", "team-b"),
                component("svc-e", "library", "team-b")));
        assertThat(version()).isEqualTo(before + 1);
    }

    private long version() throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); Statement sql = connection.createStatement();
             var row = sql.executeQuery("select version from portal.catalog_version")) {
            row.next();
            return row.getLong(1);
        }
    }
}
