package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.error.ConflictException;
import dev.portal.error.NotFoundException;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.template.InvalidParametersException;
import dev.portal.scaffolder.template.TemplateException;
import dev.portal.scaffolder.testing.EchoAction;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs of real processes on the in-JVM engine, with the portal's workers and real PostgreSQL. */
class ZeebeActionWorkersIntegrationTests {

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
                .serviceTask("greet", task -> task.zeebeJobType("portal.log")
                        .zeebeInputExpression("\"Hello \" + values.name", "message"))
                .serviceTask("echo", task -> task.zeebeJobType("test.echo").zeebeJobRetries("2")
                        .zeebeInputExpression("values.name", "text"))
                .endEvent()
                .done());
        template("caught", "caught.bpmn", Bpmn.createExecutableProcess("caught")
                .startEvent()
                .serviceTask("echo", task -> task.zeebeJobType("test.echo").zeebeInputExpression("values.name", "text"))
                .boundaryEvent("refused", event -> event.error("test.rejected"))
                .serviceTask("note", task -> task.zeebeJobType("portal.log")
                        .zeebeInput("=\"refused\"", "message"))
                .endEvent("refusedEnd")
                .moveToActivity("echo")
                .endEvent("done")
                .done());
        template("compensates", "compensates.bpmn", Bpmn.createExecutableProcess("compensates")
                .startEvent()
                .serviceTask("echo", task -> task.zeebeJobType("test.echo").zeebeJobRetries("2")
                        .zeebeTaskHeader(ZeebeActionWorkers.FAILURE_ERROR_HEADER, "portal.step-failed")
                        .zeebeInputExpression("values.name", "text"))
                .boundaryEvent("stepFailed", event -> event.error("portal.step-failed")
                        .zeebeOutputExpression("\"failed\"", "portalOutcome")
                        .zeebeOutputExpression("portalFailure", "portalFailure")
                        .zeebeOutputExpression("portalFailedStep", "portalFailedStep"))
                .serviceTask("undo", task -> task.zeebeJobType("portal.log").zeebeInputExpression("\"undo after \" + portalFailure", "message"))
                .endEvent("failedEnd")
                .moveToActivity("echo")
                .endEvent("done")
                .done());
        template("lost", "lost.bpmn", Bpmn.createExecutableProcess("lost")
                .startEvent()
                .exclusiveGateway("route")
                .condition("=values.name = \"left\"")
                .endEvent("left")
                .moveToLastExclusiveGateway()
                .condition("=values.name = \"right\"")
                .endEvent("right")
                .done());
        template("waits", "waits.bpmn", Bpmn.createExecutableProcess("waits")
                .startEvent()
                .intermediateCatchEvent("later", event -> event.timerWithDuration("P1D"))
                .endEvent()
                .done());
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @BeforeEach
    void reset() {
        echo.failing = false;
        echo.executions.set(0);
    }

    private static void template(String name, String resource, BpmnModelInstance bpmn) throws Exception {
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
                          pattern: '^[a-z][a-z0-9-]*$'
                        greeting:
                          type: string
                          default: hi
                  workflow:
                    processId: %s
                    resource: %s
                """.formatted(name, name, resource));
        portal.catalog.register(CatalogTestSupport.fileLocation(file), Location.Origin.CONFIG);
    }

    private static ObjectNode values(String name) {
        return JSON.createObjectNode().put("name", name);
    }

    @Test
    void runsEveryStepAndCompletesWithTheStepsOutput() {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/hello"), values("payments"), "user:default/alice");

        Run done = portal.awaitStatus(run.id(), RunStatus.COMPLETED);

        assertThat(done.output().path("echoed").asText()).isEqualTo("payments");
        assertThat(done.values().path("greeting").asText()).as("defaults applied").isEqualTo("hi");
        assertThat(done.steps()).extracting(Run.Step::stepId, Run.Step::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("greet", "completed"),
                        org.assertj.core.groups.Tuple.tuple("echo", "completed"));
        assertThat(done.templateVersion()).matches(".+@1");
        List<RunEvent> events = portal.runs.events(run.id(), 0, 100);
        assertThat(events).extracting(RunEvent::message).containsSubsequence(
                "greet (portal.log) started", "Hello payments", "greet completed",
                "echo (test.echo) started", "echoing payments", "echo completed", "run completed");
        assertThat(events).extracting(RunEvent::id).isSorted();
    }

    @Test
    void refusesInvalidValuesBeforeAnythingStarts() {
        int before = portal.runs.list(List.of(), java.util.Optional.empty(), 1000, 0).size();

        assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/hello"),
                values("Not Valid!"), "user:default/alice"))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("values.name");
        assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/hello"),
                JSON.createObjectNode(), "user:default/alice"))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("values.name: is required");

        assertThat(portal.runs.list(List.of(), java.util.Optional.empty(), 1000, 0)).hasSize(before);
    }

    @Test
    void refusesAnUnknownTemplate() {
        assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/nope"), values("x"), "user:default/alice"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no template template:default/nope");
    }

    @Test
    void aFailingStepFailsTheRunWithItsMessageAndARetryCompletesIt() {
        echo.failing = true;
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/hello"), values("orders"), "user:default/alice");

        Run failed = portal.awaitStatus(run.id(), RunStatus.FAILED);
        assertThat(failed.failedStep()).contains("echo");
        assertThat(failed.errorMessage()).hasValueSatisfying(message -> assertThat(message).contains("the echo service is down"));
        assertThat(echo.executions.get()).as("two retries configured on the task").isEqualTo(2);

        echo.failing = false;
        Run retried = retryWhenIncidentVisible(run);
        assertThat(retried.status()).isEqualTo(RunStatus.RUNNING);

        Run done = portal.awaitStatus(run.id(), RunStatus.COMPLETED);
        assertThat(done.output().path("echoed").asText()).isEqualTo("orders");
        assertThat(done.failedStep()).as("the retry succeeded: no failed step any more").isEmpty();
        assertThat(done.errorMessage()).isEmpty();
        assertThat(done.steps()).filteredOn(step -> step.stepId().equals("echo"))
                .singleElement().satisfies(step -> assertThat(step.attempt()).isEqualTo(3));
    }

    @Test
    void aStepWithAFailureErrorThrowsItOnceItsRetriesAreUsedUpAndTheProcessEndsTheRunFailed() {
        echo.failing = true;
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/compensates"), values("orders"), "user:default/alice");

        Run failed = portal.await(run.id(), r -> r.status() == RunStatus.FAILED && r.finishedAt().isPresent());

        assertThat(echo.executions.get()).as("every retry is tried before the error is thrown").isEqualTo(2);
        assertThat(failed.failedStep()).contains("echo");
        assertThat(failed.errorMessage()).hasValueSatisfying(message -> assertThat(message).contains("the echo service is down"));
        assertThat(portal.runs.events(run.id(), 0, 100)).extracting(event -> event.message())
                .anyMatch(message -> message.contains("echo raised BPMN error portal.step-failed"))
                .anyMatch(message -> message.startsWith("undo after") && message.contains("the echo service is down"));
    }

    private Run retryWhenIncidentVisible(Run run) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return portal.scaffolder.retry(run.id(), "user:default/carol");
            } catch (ConflictException e) {
                if (System.nanoTime() > deadline || !e.getMessage().contains("no open incident")) {
                    throw e;
                }
            }
        }
    }

    @Test
    void anIncidentNoActionRaisedFailsTheRunWithZeebesMessage() {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/lost"), values("straight"), "user:default/alice");
        IncidentWatcher watcher = new IncidentWatcher(portal.runs, portal.engine.incidents());

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (watcher.sweep() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        Run failed = portal.runs.find(run.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.failedStep()).contains("route");
        assertThat(failed.errorMessage()).hasValueSatisfying(message -> assertThat(message).contains("condition"));
        assertThat(watcher.sweep()).as("a failed run is not failed again").isZero();
    }

    @Test
    void aBusinessErrorIsCaughtByTheProcess() {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/caught"), values("reject"), "user:default/alice");

        Run done = portal.awaitStatus(run.id(), RunStatus.COMPLETED);

        assertThat(done.steps()).extracting(Run.Step::stepId).containsExactly("echo", "note");
        assertThat(portal.runs.events(run.id(), 0, 100)).extracting(RunEvent::message)
                .anySatisfy(message -> assertThat(message).contains("raised BPMN error test.rejected"));
    }

    @Test
    void cancellingStopsTheProcessInstance() {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/waits"), values("idle"), "user:default/alice");

        Run cancelled = portal.scaffolder.cancel(run.id(), "user:default/alice");

        assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
        assertThatThrownBy(() -> portal.engine.client().newCancelInstanceCommand(run.processInstanceKey().orElseThrow())
                .send().join()).hasMessageContaining("NOT_FOUND");
        assertThatThrownBy(() -> portal.scaffolder.cancel(run.id(), "user:default/alice"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("cancelled");
    }

    @Test
    void refusesATemplateWhoseBpmnFileDoesNotDefineItsProcess() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("templates").resolve("mismatch"));
        Files.writeString(folder.resolve("other.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("hello")
                .startEvent().endEvent().done()));
        Path file = CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: mismatch}
                spec:
                  type: service
                  workflow: {processId: mismatch, resource: other.bpmn}
                """);
        portal.catalog.register(CatalogTestSupport.fileLocation(file), Location.Origin.CONFIG);

        assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/mismatch"), values("x"), "user:default/alice"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("template:default/mismatch: other.bpmn does not define the executable process 'mismatch'");
    }

    @Test
    void refusesAProcessWhoseJobTypeNoActionHandles() {
        byte[] bpmn = Bpmn.convertToString(Bpmn.createExecutableProcess("typo")
                .startEvent().serviceTask("publish", task -> task.zeebeJobType("portal.publsh-git")).endEvent().done())
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> portal.deployer.deploy("typo.bpmn", bpmn))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("typo.bpmn: element 'publish' (serviceTask) uses job type 'portal.publsh-git'")
                .hasMessageContaining("portal.log");
    }
}
