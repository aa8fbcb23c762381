package dev.portal.scaffolder.run;

import dev.portal.catalog.persistence.PortalSchema;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * Migrates the Scaffolder's tables into the portal schema. They have their own migration folder and
 * Flyway history table, so that the catalog's and the Scaffolder's migrations are numbered
 * independently and a host that embeds only the catalog never sees these tables.
 */
public final class WorkflowsSchema {

    /** Where the migrations live (not {@code db/migration}, which a host's own Flyway scans). */
    public static final String MIGRATIONS = "classpath:db/portal/workflows";

    /** The Flyway history table of the Scaffolder's tables. */
    public static final String HISTORY_TABLE = "portal_workflows_schema_history";

    private WorkflowsSchema() {
    }

    /** Applies pending migrations to {@code schema} (created if needed). Safe from several instances. */
    public static MigrateResult migrate(DataSource dataSource, PortalSchema schema) {
        return Flyway.configure(WorkflowsSchema.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(schema.name())
                .defaultSchema(schema.name())
                .createSchemas(true)
                .table(HISTORY_TABLE)
                // the catalog's tables share the schema: a schema without our history table is
                // ours to start, from version 0, not a foreign schema to refuse
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
