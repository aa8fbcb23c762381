package dev.portal.catalog.persistence;

import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.portal.db.Tables.LOCATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortalSchemaIntegrationTests {

    @Test
    void migratesIntoTheConfiguredSchemaAndQueriesAddressIt() {
        try (PostgresDatabase db = PostgresDatabase.create(new PortalSchema("catalog_custom"))) {
            UUID id = UUID.randomUUID();
            db.dsl().insertInto(LOCATIONS, LOCATIONS.ID, LOCATIONS.TYPE, LOCATIONS.TARGET, LOCATIONS.ORIGIN)
                    .values(id, "file", "/tmp/x.yaml", "api").execute();

            Object inCustomSchema = db.dsl().fetchValue(
                    "select count(*)::int from catalog_custom.locations where id = ?", id);
            Object historyRows = db.dsl().fetchValue(
                    "select count(*)::int from catalog_custom.portal_schema_history where success");
            assertThat(inCustomSchema).isEqualTo(1);
            assertThat((Integer) historyRows).isPositive();
            assertThat(db.dsl().fetchValue("select to_regclass('public.locations')::text")).isNull();
        }
    }

    @Test
    void migratingTwiceIsANoOp() {
        try (PostgresDatabase db = PostgresDatabase.create()) {
            assertThat(db.schema().migrate(db.dataSource()).migrationsExecuted).isZero();
        }
    }

    @Test
    void refusesSchemaNamesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> new PortalSchema("portal; drop table x"))
                .hasMessageContaining("must be a lower-case SQL identifier");
    }
}
