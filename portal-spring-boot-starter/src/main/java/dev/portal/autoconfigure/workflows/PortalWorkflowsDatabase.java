package dev.portal.autoconfigure.workflows;

import dev.portal.autoconfigure.catalog.PortalDatabase;
import dev.portal.scaffolder.run.WorkflowsSchema;
import org.jooq.DSLContext;

import javax.sql.DataSource;

/**
 * The Scaffolder's tables in the portal schema, migrated (after the catalog's, which
 * {@link PortalDatabase} did). Everything that reads or writes runs depends on it.
 */
public final class PortalWorkflowsDatabase {

    private final DSLContext dsl;

    private PortalWorkflowsDatabase(DSLContext dsl) {
        this.dsl = dsl;
    }

    public static PortalWorkflowsDatabase migrate(DataSource dataSource, PortalDatabase catalog) {
        WorkflowsSchema.migrate(dataSource, catalog.schema());
        return new PortalWorkflowsDatabase(catalog.dsl());
    }

    public DSLContext dsl() {
        return dsl;
    }
}
