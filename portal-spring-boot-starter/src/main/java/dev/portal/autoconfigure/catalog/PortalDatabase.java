package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.persistence.PortalSchema;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;

import javax.sql.DataSource;

/**
 * The portal schema in the host application's database, migrated. Creating one runs Portal's own
 * migrations ({@link PortalSchema#migrate}); everything that reads or writes the catalog takes it
 * as a dependency, so nothing touches the schema before it is up to date.
 *
 * <p>Deliberately not a {@link DSLContext} or {@code Flyway} bean: Spring Boot's jOOQ and Flyway
 * auto-configurations back off when one exists, which would silently take them away from a host
 * application that uses them for its own tables.
 */
public final class PortalDatabase {

    private final PortalSchema schema;
    private final DSLContext dsl;
    private final MigrateResult migration;

    private PortalDatabase(PortalSchema schema, DSLContext dsl, MigrateResult migration) {
        this.schema = schema;
        this.dsl = dsl;
        this.migration = migration;
    }

    /** Migrates {@code schema} in {@code dataSource} and returns it ready for use. */
    public static PortalDatabase migrate(DataSource dataSource, PortalSchema schema) {
        MigrateResult migration = schema.migrate(dataSource);
        return new PortalDatabase(schema, schema.dsl(dataSource), migration);
    }

    public PortalSchema schema() {
        return schema;
    }

    /** A jOOQ context on the portal schema, for the catalog only; not shared with the host. */
    public DSLContext dsl() {
        return dsl;
    }

    /** What the start-up migration did. */
    public MigrateResult migration() {
        return migration;
    }
}
