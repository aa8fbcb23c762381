package dev.portal.web;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portal.catalog.persistence.PortalSchema;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throw-away database on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth) with a
 * migrated portal schema; dropped on {@link #close()}.
 */
final class TestDatabase implements AutoCloseable {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";

    private final String name;
    private final HikariDataSource dataSource;
    private final PortalSchema schema = PortalSchema.defaults();

    TestDatabase() {
        name = "portal_web_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("create database " + name);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(SERVER + name);
        config.setUsername(USER);
        config.setMaximumPoolSize(8);
        dataSource = new HikariDataSource(config);
        schema.migrate(dataSource);
    }

    DataSource dataSource() {
        return dataSource;
    }

    PortalSchema schema() {
        return schema;
    }

    @Override
    public void close() {
        dataSource.close();
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("These tests need PostgreSQL at 127.0.0.1:5432 (user postgres): '"
                    + sql + "' failed: " + e.getMessage(), e);
        }
    }
}
