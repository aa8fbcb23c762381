package dev.portal.sample;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalTask;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample as it ships (application.yaml, the demo catalog), against a throw-away database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK,
        // No background refresh: the test looks at what start-up loaded, without a loop racing it.
        properties = "portal.catalog.refresh.enabled=false")
@DirtiesContext
class SampleApplicationTests {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "portal_sample_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    static {
        admin("create database " + DATABASE);
    }

    @Autowired
    private Catalog catalog;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER + DATABASE);
    }

    @AfterAll
    static void dropDatabase() {
        // The pool still holds connections until the cached context closes; force ends them.
        admin("drop database if exists " + DATABASE + " with (force)");
    }

    @Test
    void loadsTheDemoCatalogAtStartUp() {
        StoredEntity gateway = catalog.entities().byRef(EntityRef.parse("component:default/payment-gateway")).orElseThrow();
        assertThat(gateway.relations()).contains(new Relation(gateway.ref(), "ownedBy",
                EntityRef.parse("group:default/payments")));
    }

    @Test
    void demoCatalogHasNoProcessingProblems() {
        List<Location> locations = catalog.locations();
        assertThat(locations).hasSizeGreaterThan(1)
                .allSatisfy(location -> {
                    assertThat(location.lastError()).as(location.target()).isNull();
                    assertThat(catalog.errors(location.id())).as(location.target()).isEmpty();
                });
    }

    @Autowired
    private Scaffolder scaffolder;

    @Autowired
    private ApprovalInbox inbox;

    @Test
    void theStandardTemplatesAreInTheCatalog() {
        assertThat(scaffolder.templates()).extracting(template -> template.ref().canonical())
                .contains("template:default/create-service", "template:default/register-existing",
                        "template:default/decommission-component");
    }

    @Test
    void createsAServiceWithTheStandardTemplateOnceTheOwningTeamApproves() throws Exception {
        String name = "demo-" + UUID.randomUUID().toString().substring(0, 8);
        Run run = scaffolder.start(EntityRef.parse("template:default/create-service"), new ObjectMapper().readTree("""
                {"name": "%s", "owner": "payments", "system": "payments", "javaPackage": "com.acme.demo"}
                """.formatted(name)), "user:default/alice");

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (inbox.store().openOfRun(run.id()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ApprovalTask approval = inbox.store().openOfRun(run.id()).getFirst();
        assertThat(approval.candidateGroups()).containsExactly(EntityRef.parse("group:default/payments"));
        assertThat(approval.formKey()).as("the approval form, deployed at start-up").isPresent();
        inbox.decide(approval.id(), EntityRef.parse("user:default/bob"), true, "welcome", null);
        while (!scaffolder.run(run.id()).status().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(scaffolder.run(run.id()).status()).as("%s", scaffolder.events(run.id(), 0, 100)).isEqualTo(RunStatus.COMPLETED);
        StoredEntity created = catalog.entities().byRef(EntityRef.parse("component:default/" + name)).orElseThrow();
        assertThat(created.relations()).contains(new Relation(created.ref(), "ownedBy", EntityRef.parse("group:default/payments")));
        assertThat(Path.of("target/git/" + name + ".git")).isDirectory();
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for this test: " + e.getMessage(), e);
        }
    }
}
