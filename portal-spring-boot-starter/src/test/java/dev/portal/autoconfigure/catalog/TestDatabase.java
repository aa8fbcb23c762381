package dev.portal.autoconfigure.catalog;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throw-away, empty database on the real PostgreSQL server (127.0.0.1:5432 unless
 * {@code PORTAL_TEST_PG_HOST}/{@code _PORT}/{@code _USER} say otherwise), for one test class.
 * Empty on purpose: migrating it is what the starter is tested for.
 */
final class TestDatabase implements AutoCloseable {

    private static final String HOST = envOr("PORTAL_TEST_PG_HOST", "127.0.0.1");
    private static final String PORT = envOr("PORTAL_TEST_PG_PORT", "5432");
    private static final String USER = envOr("PORTAL_TEST_PG_USER", "postgres");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    static TestDatabase create() {
        String name = "portal_starter_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("create database " + name);
        return new TestDatabase(name);
    }

    String url() {
        return url(name);
    }

    String user() {
        return USER;
    }

    /** The Spring Boot properties that point the application's DataSource at this database. */
    String[] datasourceProperties() {
        return new String[] {"spring.datasource.url=" + url(), "spring.datasource.username=" + USER};
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " (user " + USER
                    + ") is needed for this test and refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
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
