package dev.portal.sample;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates the sample's PostgreSQL database on first start, before the DataSource is used, so the
 * sample runs with one command on a machine that has only a bare PostgreSQL server.
 */
final class SampleDatabase implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([a-zA-Z_][a-zA-Z0-9_]*)(\\?.*)?");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        Environment env = event.getEnvironment();
        String url = env.getProperty("spring.datasource.url", "");
        Matcher matcher = URL.matcher(url);
        if (!matcher.matches()) {
            return;
        }
        String database = matcher.group(2);
        String user = env.getProperty("spring.datasource.username", "postgres");
        String password = env.getProperty("spring.datasource.password", "");
        try (Connection connection = DriverManager.getConnection(matcher.group(1) + "postgres", user, password)) {
            try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The sample app needs PostgreSQL at " + matcher.group(1)
                    + " (user " + user + ") to create database " + database + ": " + e.getMessage(), e);
        }
    }
}
