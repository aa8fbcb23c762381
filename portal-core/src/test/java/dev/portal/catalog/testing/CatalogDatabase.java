package dev.portal.catalog.testing;

import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One throw-away PostgreSQL database per test class, emptied before each test:
 * {@code @RegisterExtension static final CatalogDatabase db = new CatalogDatabase();}.
 */
public final class CatalogDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private PostgresDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = PostgresDatabase.create();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CatalogTestSupport.truncate(database.dsl());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        database.close();
    }

    public DSLContext dsl() {
        return database.dsl();
    }

    /** The database itself: its URL and schema, for a test that needs a pool of its own. */
    public PostgresDatabase database() {
        return database;
    }
}
