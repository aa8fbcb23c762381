package dev.portal.sample;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's ldap profile: the in-memory directory with the demo organization, people and teams
 * in the catalog from it, and signing in against it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "portal.catalog.refresh.enabled=false")
@ActiveProfiles("ldap")
class SampleLdapProfileTests {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "portal_sample_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @DynamicPropertySource
    static void databaseAndDirectory(DynamicPropertyRegistry registry) throws IOException {
        admin("create database " + DATABASE);
        registry.add("spring.datasource.url", () -> SERVER + DATABASE);
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            registry.add("sample.ldap.port", () -> port);
        }
    }

    @AfterAll
    static void dropDatabase() {
        admin("drop database if exists " + DATABASE + " with (force)");
    }

    @Autowired
    Catalog catalog;

    @LocalServerPort
    int port;

    @Test
    void peopleAndTeamsComeFromTheDirectory() {
        Entity alice = catalog.entities().byRef(EntityRef.parse("user:default/alice")).orElseThrow().entity();

        assertThat(alice.annotation("backstage.io/managed-by-location")).contains("ldap-org:acme");
        assertThat(alice.annotation("backstage.io/ldap-dn")).contains("uid=alice,ou=people,dc=acme,dc=example");
        assertThat(alice.spec().path("memberOf").get(0).asText()).isEqualTo("payments");
        assertThat(catalog.entities().byRef(EntityRef.parse("group:default/engineering"))).isPresent();
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/payment-gateway"))).isPresent();
        assertThat(catalog.errorsByLocation()).isEmpty();
    }

    @Test
    void signingInChecksThePasswordAgainstTheDirectory() throws Exception {
        assertThat(refreshAs("alice:demo")).isEqualTo(200);
        assertThat(refreshAs("alice:wrong")).isEqualTo(401);
    }

    private int refreshAs(String credentials) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/catalog/refresh"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("{\"entityRef\":\"user:default/alice\"}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
