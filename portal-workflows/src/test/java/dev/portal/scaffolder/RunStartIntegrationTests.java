package dev.portal.scaffolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.EchoAction;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a run is started, identified and reported: by its own id, crash-safe, on the in-JVM engine
 * with real PostgreSQL.
 */
class RunStartIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static EchoAction echo = new EchoAction();

    @BeforeAll
    static void start() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction(), echo));
        template("hello", "hello.bpmn", Bpmn.createExecutableProcess("hello")
                .startEvent()
                .serviceTask("echo", task -> task.zeebeJobType("test.echo").zeebeInputExpression("values.name", "text"))
                .endEvent()
                .done());
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    static void template(String name, String resource, BpmnModelInstance bpmn) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("templates").resolve(name));
        Files.writeString(folder.resolve(resource), Bpmn.convertToString(bpmn));
        Path file = CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: %s
                spec:
                  type: service
                  owner: group:default/platform
                  parameters:
                    - required: [name]
                      properties:
                        name:
                          type: string
                  workflow:
                    processId: %s
                    resource: %s
                """.formatted(name, name, resource));
        portal.catalog.register(CatalogTestSupport.fileLocation(file), Location.Origin.CONFIG);
    }

    static ObjectNode values(String name) {
        return JSON.createObjectNode().put("name", name);
    }

    @Test
    void twoRunsMayRecordTheSameInstanceKeyAsEnginesCountFromTheStartAgain() {
        Run first = portal.scaffolder.start(EntityRef.parse("template:default/hello"), values("first"), "user:default/alice");
        portal.awaitStatus(first.id(), RunStatus.COMPLETED);

        portal.restartEngine();
        Run second = portal.scaffolder.start(EntityRef.parse("template:default/hello"), values("second"), "user:default/alice");
        long key = second.processInstanceKey().orElseThrow();
        // the in-JVM engine's keys depend on timing; give the earlier run the key a restarted engine handed out again
        portal.runs.started(first.id(), 1L, key, 1);

        Run done = portal.awaitStatus(second.id(), RunStatus.COMPLETED);
        assertThat(done.output().path("echoed").asText()).isEqualTo("second");
        assertThat(portal.runs.find(first.id()).orElseThrow())
                .satisfies(run -> assertThat(run.processInstanceKey()).contains(key))
                .satisfies(run -> assertThat(run.output().path("echoed").asText()).as("keeps its own output").isEqualTo("first"));
    }
}
