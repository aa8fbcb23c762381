package dev.portal.catalog.persistence;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.MappedSchema;
import org.jooq.conf.RenderMapping;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import javax.sql.DataSource;
import java.util.regex.Pattern;

/**
 * The portal's own database schema: migrates it with a private Flyway (its own history table, its
 * own migration folder, so a host application's Flyway setup is neither replaced nor disturbed) and
 * hands out a {@link DSLContext} whose queries address that schema.
 *
 * @param name the PostgreSQL schema holding the portal tables, {@code portal} by default
 */
public record PortalSchema(String name) {

    /** The schema name used when none is configured. */
    public static final String DEFAULT_NAME = "portal";

    /** Where the migrations live; deliberately not {@code db/migration}, which a host's Flyway scans. */
    public static final String MIGRATIONS = "classpath:db/portal/migration";

    /** The Flyway history table of the portal schema. */
    public static final String HISTORY_TABLE = "portal_schema_history";

    /** The schema name the jOOQ classes were generated with; mapped to {@link #name()} at run time. */
    private static final String GENERATED_NAME = "portal";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PortalSchema {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("portal schema name '" + name
                    + "' must be a lower-case SQL identifier: [a-z_][a-z0-9_]*, at most 63 characters");
        }
    }

    public static PortalSchema defaults() {
        return new PortalSchema(DEFAULT_NAME);
    }

    /** Creates the schema if needed and applies pending migrations. Safe to call from several instances. */
    public MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure(PortalSchema.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(name)
                .defaultSchema(name)
                .createSchemas(true)
                .table(HISTORY_TABLE)
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** A jOOQ context on {@code dataSource} whose generated tables render in this schema. */
    public DSLContext dsl(DataSource dataSource) {
        Settings settings = new Settings()
                .withRenderMapping(new RenderMapping().withSchemata(
                        new MappedSchema().withInput(GENERATED_NAME).withOutput(name)))
                .withExecuteLogging(false);
        return DSL.using(dataSource, SQLDialect.POSTGRES, settings);
    }
}
