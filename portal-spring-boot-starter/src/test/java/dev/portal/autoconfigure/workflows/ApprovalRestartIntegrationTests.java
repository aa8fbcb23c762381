package dev.portal.autoconfigure.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalTask;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.RecordStreamIncidentLookup;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run waits at an approval when its host application stops; the engine keeps running (as a
 * cluster would). A new application context on the same database decides the task and the run
 * completes.
 */
class ApprovalRestartIntegrationTests {

    @TempDir
    static Path dir;

    static ZeebeTestEngine engine;
    static PostgresDatabase database;
    static int port;

    @BeforeAll
    static void engineAndDatabase() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        engine = EngineFactory.create(port);
        engine.start();
        database = PostgresDatabase.create();
    }

    @AfterAll
    static void stop() {
        engine.stop();
        database.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApplication {

        /** Shared by both contexts: the first must not close it. */
        @Bean(destroyMethod = "")
        DataSource dataSource() {
            return database.dataSource();
        }

        /** The in-JVM engine has no search API; a cluster's would answer through SearchApiIncidentLookup. */
        @Bean
        IncidentLookup incidentLookup() {
            return new RecordStreamIncidentLookup(() -> engine.getRecordStreamSource().getRecords());
        }
    }

    private static ConfigurableApplicationContext startHost() {
        return new SpringApplicationBuilder(HostApplication.class)
                .web(WebApplicationType.NONE)
                .properties("camunda.client.grpc-address=http://127.0.0.1:" + port,
                        "camunda.client.prefer-rest-over-grpc=false",
                        "portal.catalog.refresh.enabled=false",
                        "portal.scaffolder.workspace-root=" + dir.resolve("workspaces"),
                        "spring.flyway.enabled=false")
                .run();
    }

    @Test
    void aFormDeployedByTheFirstHostIsShownByTheNextOneWhoseDeployerNeverSawIt() {
        String json = """
                {"id": "restart-review", "type": "default", "components": [
                  {"key": "reviewNotes", "label": "Notes", "type": "textfield"}]}
                """;
        long formKey;
        try (ConfigurableApplicationContext first = startHost()) {
            formKey = first.getBean(dev.portal.scaffolder.zeebe.ProcessDeployer.class)
                    .deployForm("restart-review.form", json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).formKey();
        }

        try (ConfigurableApplicationContext second = startHost()) {
            // what GET /api/approvals/tasks/{id}/form and the inbox's task page read
            assertThat(second.getBean(dev.portal.scaffolder.zeebe.ProcessDeployer.class).form(formKey))
                    .hasValueSatisfying(form -> {
                        assertThat(form.form().formId()).isEqualTo("restart-review");
                        assertThat(form.json()).isEqualTo(json);
                    });
        }
    }

    @Test
    void aTaskOpenAtShutdownIsDecidedAfterARestartAndTheRunCompletes() throws Exception {
        Path template = Files.createDirectories(dir.resolve("template"));
        Files.writeString(template.resolve("restart.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("restart")
                .startEvent().userTask("review", task -> task.zeebeCandidateUsers("bob")).endEvent().done()));
        Files.writeString(template.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: restart}
                spec:
                  type: service
                  owner: group:default/platform
                  workflow: {processId: restart, resource: restart.bpmn}
                """);

        UUID runId;
        UUID taskId;
        try (ConfigurableApplicationContext first = startHost()) {
            first.getBean(Catalog.class).register(new LocationSpec("file", template.resolve("template.yaml").toString()),
                    Location.Origin.CONFIG);
            Run run = first.getBean(Scaffolder.class).start(EntityRef.parse("template:default/restart"),
                    new ObjectMapper().createObjectNode(), "user:default/alice");
            runId = run.id();
            ApprovalInbox inbox = first.getBean(ApprovalInbox.class);
            taskId = eventually(() -> inbox.store().openOfRun(run.id()).stream().findFirst().orElse(null)).id();
        }

        try (ConfigurableApplicationContext second = startHost()) {
            ApprovalInbox inbox = second.getBean(ApprovalInbox.class);
            assertThat(inbox.mine(EntityRef.parse("user:default/bob"))).extracting(ApprovalTask::id).contains(taskId);

            inbox.decide(taskId, EntityRef.parse("user:default/bob"), true, "after the restart", null);

            Scaffolder scaffolder = second.getBean(Scaffolder.class);
            Run done = eventually(() -> {
                Run run = scaffolder.run(runId);
                return run.status() == RunStatus.COMPLETED ? run : null;
            });
            assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(inbox.store().decisionsOfRun(runId)).singleElement()
                    .satisfies(decision -> assertThat(decision.appliedAt()).isPresent());
        }
    }

    private static <T> T eventually(Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        T result = value.get();
        while (result == null && System.nanoTime() < deadline) {
            Thread.sleep(25);
            result = value.get();
        }
        assertThat(result).as("reached within 20 s").isNotNull();
        return result;
    }
}
