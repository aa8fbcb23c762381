package dev.portal.catalog.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portal.catalog.persistence.PortalSchema;
import org.jooq.DSLContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throw-away database on the real PostgreSQL server (127.0.0.1:5432 unless
 * {@code PORTAL_TEST_PG_HOST}/{@code _PORT}/{@code _USER} say otherwise), migrated with the portal
 * schema. Created per test class, dropped on {@link #close()}.
 */
public final class PostgresDatabase implements AutoCloseable {

    private static final String HOST = System.getProperty("portal.test.pg.host",
            envOr("PORTAL_TEST_PG_HOST", "127.0.0.1"));
    private static final String PORT = System.getProperty("portal.test.pg.port",
            envOr("PORTAL_TEST_PG_PORT", "5432"));
    private static final String USER = System.getProperty("portal.test.pg.user",
            envOr("PORTAL_TEST_PG_USER", "postgres"));

    private final String database;
    private final HikariDataSource dataSource;
    private final PortalSchema schema;

    private PostgresDatabase(String database, PortalSchema schema) {
        this.database = database;
        this.schema = schema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(database));
        config.setUsername(USER);
        config.setMaximumPoolSize(8);
        // Connections on demand, given back when idle: test classes keep their databases (and
        // Spring's test context cache whole applications) open side by side, and the server
        // allows 100 clients in all.
        config.setMinimumIdle(1);
        config.setIdleTimeout(10_000);
        config.setPoolName(database);
        this.dataSource = new HikariDataSource(config);
    }

    /** A new database holding a migrated portal schema named {@code portal}. */
    public static PostgresDatabase create() {
        return create(PortalSchema.defaults());
    }

    /** A new database holding a migrated portal schema with the given name. */
    public static PostgresDatabase create(PortalSchema schema) {
        String database = createEmpty("portal_test_");
        PostgresDatabase db = new PostgresDatabase(database, schema);
        schema.migrate(db.dataSource);
        return db;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public PortalSchema schema() {
        return schema;
    }

    public DSLContext dsl() {
        return schema.dsl(dataSource);
    }

    public String jdbcUrl() {
        return url(database);
    }

    @Override
    public void close() {
        dataSource.close();
        drop(database);
    }

    /**
     * Creates an empty database named {@code prefix} plus a random suffix, for tests in which
     * migrating is the point; drop it with {@link #drop}.
     *
     * @return the database's name
     */
    public static String createEmpty(String prefix) {
        String database = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("create database " + database);
        return database;
    }

    /** Drops a database made by {@link #createEmpty}, closing connections left open. */
    public static void drop(String database) {
        admin("drop database if exists " + database + " with (force)");
    }

    /** The JDBC URL of a database on the test server. */
    public static String url(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** The user tests connect as (trust auth, no password). */
    public static String user() {
        return USER;
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

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
