package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A throw-away, empty database on the test PostgreSQL server (portal-core's {@link PostgresDatabase}
 * says which), for one test class. Empty on purpose: migrating it is what the starter is tested for.
 */
public final class TestDatabase implements AutoCloseable {

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        return new TestDatabase(PostgresDatabase.createEmpty("portal_starter_test_"));
    }

    String url() {
        return PostgresDatabase.url(name);
    }

    String user() {
        return PostgresDatabase.user();
    }

    /** The Spring Boot properties that point the application's DataSource at this database. */
    public String[] datasourceProperties() {
        return new String[] {"spring.datasource.url=" + url(), "spring.datasource.username=" + user()};
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }

    @Override
    public void close() {
        PostgresDatabase.drop(name);
    }

    /**
     * Drops the test class's static {@code TestDatabase} once the class is done. Declared before
     * {@code @SpringBootTest} (with {@code @DirtiesContext}), its callback runs after Spring closed
     * the application, so the pool and the refresh thread are gone before the drop.
     */
    static final class DropAfterApplication implements AfterAllCallback {

        @Override
        public void afterAll(ExtensionContext context) throws IllegalAccessException {
            for (Field field : context.getRequiredTestClass().getDeclaredFields()) {
                if (field.getType() == TestDatabase.class && Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    ((TestDatabase) field.get(null)).close();
                }
            }
        }
    }
}
