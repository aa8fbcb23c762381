package dev.portal.scaffolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.scaffolder.run.NewRun;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.EchoAction;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.IncidentWatcher;
import dev.portal.scaffolder.zeebe.ZeebeActionWorkers;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        template("instant", "instant.bpmn", Bpmn.createExecutableProcess("instant").startEvent().endEvent().done());
        template("later", "later.bpmn", Bpmn.createExecutableProcess("later")
                .startEvent()
                .intermediateCatchEvent("anHourLater", event -> event.timerWithDuration("PT1H"))
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
        portal.database.dsl().execute("update " + portal.database.schema().name()
                + ".scaffolder_runs set process_instance_key = ? where id = ?", key, first.id());

        Run done = portal.awaitStatus(second.id(), RunStatus.COMPLETED);
        assertThat(done.output().path("echoed").asText()).isEqualTo("second");
        assertThat(portal.runs.find(first.id()).orElseThrow())
                .satisfies(run -> assertThat(run.processInstanceKey()).contains(key))
                .satisfies(run -> assertThat(run.output().path("echoed").asText()).as("keeps its own output").isEqualTo("first"));
    }

    @Test
    void aDatabaseErrorAtTheKeyStatementLeavesTheRunGoingAndItsFirstJobRecordsTheInstance() {
        String schema = portal.database.schema().name();
        portal.database.dsl().execute("create table " + schema + ".refuse_instance_keys (on_ boolean)");
        portal.database.dsl().execute("""
                create function %1$s.refuse_instance_keys() returns trigger language plpgsql as $$
                begin
                  if new.process_instance_key is not null and exists (select 1 from %1$s.refuse_instance_keys) then
                    raise exception 'the database refused the instance key';
                  end if;
                  return new;
                end $$""".formatted(schema));
        portal.database.dsl().execute("create trigger refuse_instance_keys before update on " + schema
                + ".scaffolder_runs for each row execute function " + schema + ".refuse_instance_keys()");
        portal.database.dsl().execute("insert into " + schema + ".refuse_instance_keys values (true)");
        Run run;
        try {
            run = portal.scaffolder.start(EntityRef.parse("template:default/later"), values("patient"), "user:default/alice");
        } finally {
            portal.database.dsl().execute("delete from " + schema + ".refuse_instance_keys");
        }

        assertThat(run.status()).as("the process runs, so the run is not failed").isEqualTo(RunStatus.STARTING);
        assertThat(run.processInstanceKey()).isEmpty();
        portal.engine.engine().increaseTime(Duration.ofHours(1).plusMinutes(1));
        Run done = portal.awaitStatus(run.id(), RunStatus.COMPLETED);
        assertThat(done.processInstanceKey()).isPresent();
        assertThat(done.templateVersion()).matches(".+@1");
        assertThat(done.output().path("echoed").asText()).isEqualTo("patient");
        assertThat(portal.runs.events(run.id(), 0, 100)).extracting(RunEvent::message)
                .anySatisfy(message -> assertThat(message).contains("attached by its own job"));
    }

    @Test
    void aHostThatDiedBetweenCreatingTheInstanceAndRecordingItsKeyLeavesARunThatItsEndFinishes() {
        // what Scaffolder.start does up to the instance, and no further
        UUID runId = recordedRun("instant", "lost");
        long instanceKey = createInstance("instant", runId);

        Run done = portal.awaitStatus(runId, RunStatus.COMPLETED);

        assertThat(done.processInstanceKey()).contains(instanceKey);
        assertThat(done.finishedAt()).isPresent();
    }

    @Test
    void aStartThatNeverReachedTheEngineEndsFailedAfterTheGracePeriodAndNotTwice() {
        UUID runId = recordedRun("hello", "abandoned");
        IncidentWatcher watcher = new IncidentWatcher(portal.runs, portal.engine.incidents(), Duration.ZERO);

        watcher.sweep();
        watcher.sweep();

        Run failed = portal.runs.find(runId).orElseThrow();
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.failedStep()).contains("start");
        assertThat(failed.finishedAt()).isPresent();
        assertThat(failed.errorMessage()).hasValueSatisfying(message -> assertThat(message).contains("no process instance was recorded"));
        assertThat(portal.runs.events(runId, 0, 100)).extracting(RunEvent::message)
                .filteredOn(message -> message.startsWith("run failed to start")).hasSize(1);
        Run young = portal.runs.find(recordedRun("hello", "young")).orElseThrow();
        assertThat(new IncidentWatcher(portal.runs, portal.engine.incidents(), Duration.ofMinutes(2)).sweep()).isZero();
        assertThat(portal.runs.find(young.id()).orElseThrow().status()).as("within the grace period").isEqualTo(RunStatus.STARTING);
    }

    @Test
    void aRunFailedAtItsStartRunsAgainWhenItsInstanceTurnsUpAfterAll() {
        UUID runId = recordedRun("instant", "late");
        portal.runs.failStart(runId, "the workflow engine did not answer");

        long instanceKey = createInstance("instant", runId);

        Run done = portal.awaitStatus(runId, RunStatus.COMPLETED);
        assertThat(done.processInstanceKey()).contains(instanceKey);
        assertThat(done.failedStep()).isEmpty();
        assertThat(done.errorMessage()).isEmpty();
    }

    private static UUID recordedRun(String template, String name) {
        StoredEntity stored = portal.catalog.entities().byRef(EntityRef.parse("template:default/" + template)).orElseThrow();
        UUID runId = UUID.randomUUID();
        portal.runs.create(new NewRun(runId, stored.ref().canonical(), stored.etag(), stored.entity().toJson(), template,
                values(name), "user:default/alice"));
        return runId;
    }

    private static long createInstance(String processId, UUID runId) {
        try {
            portal.deployer.deploy(processId + ".bpmn", Files.readAllBytes(dir.resolve("templates").resolve(processId)
                    .resolve(processId + ".bpmn")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return portal.engine.client().newCreateInstanceCommand().bpmnProcessId(processId).latestVersion()
                .variables(Map.of(ZeebeActionWorkers.RUN_ID_VARIABLE, runId.toString(), "values", Map.of("name", "x")))
                .send().join().getProcessInstanceKey();
    }

    @Test
    void aStartTheEngineRefusesForWantOfItsProcessLeavesAFailedRunAndNamesIt() throws Exception {
        undeployedTemplate("undeployed");

        assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/undeployed"), values("x"), "user:default/alice"))
                .isInstanceOfSatisfying(RunNotStarted.NoProcess.class, refused -> {
                    assertThat(refused).hasMessageContaining("has no process 'undeployed'");
                    Run failed = portal.runs.find(refused.runId()).orElseThrow();
                    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
                    assertThat(failed.failedStep()).contains("start");
                    assertThat(failed.finishedAt()).as("a failed start has ended").isPresent();
                });
    }

    @Test
    void aStartWhileTheEngineIsDownLeavesAFailedRunWithFinishedAtAndNamesIt() throws Exception {
        undeployedTemplate("unreachable");
        // workers first: the client's job stream does not close cleanly once its engine is gone
        portal.workers().close();
        portal.engine.stopEngine();
        try {
            assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/unreachable"), values("x"), "user:default/alice"))
                    .isInstanceOfSatisfying(RunNotStarted.EngineUnavailable.class, refused -> {
                        Run failed = portal.runs.find(refused.runId()).orElseThrow();
                        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
                        assertThat(failed.failedStep()).contains("start");
                        assertThat(failed.finishedAt()).isPresent();
                        assertThat(failed.processInstanceKey()).isEmpty();
                    });
        } finally {
            portal.restartEngine();
        }
    }

    /** A template naming no BPMN resource, whose process nobody deployed. */
    private static void undeployedTemplate(String name) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("templates").resolve(name));
        Path file = CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: %s}
                spec:
                  type: service
                  workflow: {processId: %s}
                """.formatted(name, name));
        portal.catalog.register(CatalogTestSupport.fileLocation(file), Location.Origin.CONFIG);
    }

    @Test
    void aRunsDiagramIsDrawnAfterARestartFromTheXmlKeptInPostgres() {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/hello"), values("drawn"), "user:default/alice");
        portal.awaitStatus(run.id(), RunStatus.COMPLETED);

        // a new engine, deployer and Scaffolder remember nothing: as after a restart, or on another instance
        portal.restartEngine();

        assertThat(portal.scaffolder.processXml(run.id())).hasValueSatisfying(xml -> assertThat(xml)
                .contains("id=\"hello\"").contains("id=\"echo\"").contains(ZeebeActionWorkers.RUN_END_JOB_TYPE));
        assertThat(portal.scaffolder.processXml(recordedRun("hello", "never-started"))).as("no instance, no diagram").isEmpty();
    }

    @Test
    void aRunWhoseInstanceIsNotRecordedYetIsNotCancelledBehindItsBack() {
        UUID runId = recordedRun("hello", "unsettled");

        assertThatThrownBy(() -> portal.scaffolder.cancel(runId, "user:default/alice"))
                .isInstanceOf(dev.portal.error.ConflictException.class)
                .hasMessageContaining("process instance is not recorded yet");
        assertThat(portal.runs.find(runId).orElseThrow().status()).isEqualTo(RunStatus.STARTING);
    }

    @Test
    void aStartWhoseHostDiedBeforeRecordingTheInstanceIsFoundByItsRunIdBeforeAnyJobArrives() {
        // a timer first: no job will attach the instance for an hour
        UUID runId = recordedRun("later", "found");
        long instanceKey = createInstance("later", runId);
        IncidentWatcher watcher = new IncidentWatcher(portal.runs, portal.engine.incidents(), Duration.ZERO,
                portal.engine.runInstances());

        watcher.sweep();

        Run found = portal.runs.find(runId).orElseThrow();
        assertThat(found.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(found.processInstanceKey()).contains(instanceKey);
        assertThat(portal.runs.events(runId, 0, 100)).extracting(RunEvent::message)
                .anySatisfy(message -> assertThat(message).contains("found by the run id it carries"));
    }
}
