package dev.portal.catalog.persistence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.Order;
import dev.portal.catalog.query.QueryLimits;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.error.InvalidInputException;
import dev.portal.error.UnavailableException;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static dev.portal.catalog.testing.EntityFixtures.entity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What one read may ask of PostgreSQL: sizes refused before the database is asked, the statement
 * timeout and JIT setting of the guarded reads, against the real server.
 */
class CatalogReadLimitsIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresDatabase db;
    // One connection, so that what a read leaves behind on it shows in the next statement.
    private static HikariDataSource oneConnection;
    private static DSLContext dsl;

    @BeforeAll
    static void storeCatalog() {
        db = PostgresDatabase.create();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(PostgresDatabase.user());
        config.setMaximumPoolSize(1);
        oneConnection = new HikariDataSource(config);
        dsl = db.schema().dsl(oneConnection);
        List<EntityWrite> writes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            writes.add(new EntityWrite(entity("""
                    kind: Component
                    metadata: {name: svc-%d}
                    spec: {type: service, lifecycle: production, owner: team-%d}
                    """.formatted(i, i % 3)), List.of(), null, null));
        }
        EntityStore.jooq(db.dsl()).upsert(writes);
    }

    @AfterAll
    static void dropDatabase() {
        oneConnection.close();
        db.close();
    }

    private static EntityQueries queries(QueryLimits limits) {
        return EntityQueries.jooq(dsl, limits);
    }

    /** The {@code $any} predicate of {@code items} conditions on metadata.name, as the API receives it. */
    private static EntityFilter anyOf(int items) {
        ObjectNode predicate = JSON.createObjectNode();
        ArrayNode any = predicate.putArray("$any");
        for (int i = 0; i < items; i++) {
            any.addObject().put("metadata.name", "svc-" + i);
        }
        return EntityFilter.fromPredicate(predicate);
    }

    @Test
    @Timeout(10)
    void aPredicateOfTwentyThousandAnyItemsIsRefusedBeforeTheDatabaseIsAsked() {
        EntityQueries queries = queries(QueryLimits.defaults());
        EntityFilter huge = anyOf(20_000);

        assertThatThrownBy(() -> queries.query(EntityQuery.of(huge)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than 200 items").hasMessageContaining("portal.catalog.api.max-filter-items");
        assertThatThrownBy(() -> queries.list(huge, List.of(), 0, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> queries.facets(List.of("kind"), huge)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> queries.byRefs(List.of(EntityRef.parse("component:svc-1")), huge))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aPredicateWithinTheLimitIsAnswered() {
        // $any + 66 conditions + 66 values = 133 items
        EntityPage<StoredEntity> page = queries(QueryLimits.defaults()).query(EntityQuery.of(anyOf(66)));

        assertThat(page.totalItems()).isEqualTo(30);
    }

    @Test
    void aCursorCarryingAFilterOverTheLimitIsRefusedToo() {
        ObjectNode cursor = JSON.createObjectNode();
        cursor.set("filter", anyOf(500).toPredicate());
        cursor.putArray("fullTextFields");
        cursor.put("limit", 10).put("direction", "next").put("uid", "00000000-0000-4000-8000-000000000000");
        String encoded = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(cursor.toString().getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> queries(QueryLimits.defaults()).query(EntityQuery.fromCursor(encoded, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("QueryLimits.maxFilterItems");
    }

    @Test
    void aForgedCursorWithAControlCharacterInItsPositionIsRefused() {
        ObjectNode cursor = JSON.createObjectNode();
        cursor.set("filter", EntityFilter.everything().toPredicate());
        cursor.putArray("fullTextFields");
        cursor.put("orderField", "metadata.name").put("order", "asc");
        cursor.put("limit", 10).put("direction", "next").put("uid", "00000000-0000-4000-8000-000000000000")
                .put("value", "svc\u0000");
        String encoded = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(cursor.toString().getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> queries(QueryLimits.defaults()).query(EntityQuery.fromCursor(encoded, null)))
                .hasMessageContaining("invalid cursor").hasMessageContaining("U+0000");
    }

    @Test
    void aPageOfTheLargestIntegerIsEveryMatchNotAnOverflow() {
        EntityPage<StoredEntity> page = queries(QueryLimits.defaults())
                .query(EntityQuery.of(EntityFilter.everything()).limit(Integer.MAX_VALUE));

        assertThat(page.items()).hasSize(30);
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void tooManyFacetsRefsOrSortFieldsAreRefused() {
        EntityQueries queries = queries(QueryLimits.defaults().withMaxFacets(2).withMaxRefs(2).withMaxOrderFields(1));

        assertThatThrownBy(() -> queries.facets(List.of("kind", "spec.type", "spec.owner"), EntityFilter.everything()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("max-facets");
        assertThatThrownBy(() -> queries.byRefs(List.of(EntityRef.parse("component:a"), EntityRef.parse("component:b"),
                EntityRef.parse("component:c")), EntityFilter.everything()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("max-refs");
        assertThatThrownBy(() -> queries.list(EntityFilter.everything(), List.of(Order.asc("kind"), Order.asc("metadata.name")),
                0, null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("max-order-fields");
    }

    @ParameterizedTest
    @ValueSource(strings = {"query", "plain-terms query", "list", "facets", "byRefs"})
    @Timeout(20)
    void aReadThatOutrunsTheStatementTimeoutIsCancelledNamingTheLimitNotTheSql(String read) throws Exception {
        // Another transaction holds the table: the read waits, and the wait counts against its timeout.
        EntityQueries queries = EntityQueries.jooq(db.dsl(), QueryLimits.defaults().withStatementTimeout(Duration.ofMillis(300)));
        try (Connection locker = db.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("lock table portal.entities in access exclusive mode");
            }
            Consumer<EntityQueries> call = switch (read) {
                case "query" -> q -> q.query(EntityQuery.of(EntityFilter.any(EntityFilter.equalTo("kind", "component"),
                        EntityFilter.equalTo("kind", "api"))));
                case "plain-terms query" -> q -> q.query(EntityQuery.of(EntityFilter.equalTo("kind", "component")));
                case "list" -> q -> q.list(EntityFilter.everything(), List.of(), 0, null);
                case "facets" -> q -> q.facets(List.of("kind"), EntityFilter.equalTo("kind", "component"));
                default -> q -> q.byRefs(List.of(EntityRef.parse("component:svc-1")), EntityFilter.everything());
            };
            long start = System.nanoTime();
            assertThatThrownBy(() -> call.accept(queries))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("300 ms").hasMessageContaining("portal.catalog.api.statement-timeout")
                    .satisfies(e -> assertThat(e.getMessage().toLowerCase()).doesNotContain("select", "portal.entities"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            locker.rollback();
        }
    }

    @Test
    void aPagePlannedForItsOwnValuesLeavesTheConnectionsPlanCacheModeAsItWas() throws SQLException {
        assertThat(queries(QueryLimits.defaults()).query(EntityQuery.of(EntityFilter.equalTo("kind", "component"))
                .orderBy(dev.portal.catalog.query.Order.asc("metadata.name"))).items()).isNotEmpty();

        // The pool has one connection: the one the page used.
        try (Connection connection = oneConnection.getConnection(); Statement statement = connection.createStatement();
             ResultSet settings = statement.executeQuery("select current_setting('plan_cache_mode')")) {
            settings.next();
            assertThat(settings.getString(1)).isEqualTo("auto");
        }
    }

    @Test
    void theTimeoutAndJitSettingsEndWithTheReadThatSetThem() throws SQLException {
        queries(QueryLimits.defaults().withStatementTimeout(Duration.ofSeconds(7)))
                .facets(List.of("kind"), EntityFilter.equalTo("kind", "component"));

        // The pool has one connection: the one the read used.
        try (Connection connection = oneConnection.getConnection(); Statement statement = connection.createStatement();
             ResultSet settings = statement.executeQuery(
                     "select current_setting('statement_timeout'), current_setting('jit')")) {
            settings.next();
            assertThat(settings.getString(1)).isEqualTo("0");
            assertThat(settings.getString(2)).isEqualTo("on");
        }
    }

    @Test
    void guardedReadsRunWithJitOffAndTheConfiguredTimeout() throws SQLException {
        JooqEntityQueries queries = (JooqEntityQueries) queries(QueryLimits.defaults().withStatementTimeout(Duration.ofSeconds(7)));

        assertThat(queries.settingsOfAGuardedRead()).containsExactly("7s", "off");
    }
}
