package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.StepRunner;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.testing.SlowAction;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Short job timeouts with a heartbeat: a live host keeps a step that runs far longer than the job
 * timeout, and a step held by a host that died is taken over by another within about that timeout.
 */
class JobHeartbeatIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static SlowAction slow = new SlowAction();

    @BeforeAll
    static void setUp() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), catalog -> List.of(new LogAction(), slow), settings(true));
        Path folder = Files.createDirectories(dir.resolve("slow"));
        Files.writeString(folder.resolve("slow.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("slow")
                .startEvent().serviceTask("push", task -> task.zeebeJobType("test.slow")).endEvent().done()));
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: slow}
                spec:
                  type: service
                  owner: group:default/platform
                  workflow: {processId: slow, resource: slow.bpmn}
                """)), Location.Origin.CONFIG);
    }

    private static WorkerSettings settings(boolean stream) {
        return new WorkerSettings("test", TIMEOUT, 8, Duration.ofMillis(50), Duration.ofMillis(100), stream, 2, Map.of());
    }

    @AfterAll
    static void stop() {
        slow.open();
        portal.close();
    }

    @Test
    void aLiveHostKeepsAStepThatRunsLongerThanItsJobTimeout() throws Exception {
        slow.close();
        int before = slow.executions.get();
        Run run = startRun();
        eventually(() -> slow.running.get() == 1);

        Thread.sleep(TIMEOUT.multipliedBy(5).dividedBy(2).toMillis());
        slow.open();

        portal.awaitStatus(run.id(), RunStatus.COMPLETED);
        assertThat(slow.executions.get() - before).as("executions: the job never went to another worker").isEqualTo(1);
    }

    @Test
    void aStepHeldByAHostThatDiedIsTakenOverWithinSeconds() {
        slow.open();
        SlowAction hanging = new SlowAction();
        hanging.close();
        portal.workers().close();
        CamundaClient deadClient = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + portal.engine.engine().getGatewayAddress()))
                .preferRestOverGrpc(false).build();
        ZeebeActionWorkers dead = new ZeebeActionWorkers(deadClient,
                new StepRunner(new ActionRegistry(List.of(hanging)), portal.runs, portal.workspaces), portal.runs,
                portal.workspaces, settings(false));
        try {
            dead.open();
            Run run = startRun();
            eventually(() -> hanging.running.get() == 1);
            // the host dies: no more heartbeats, no answer; its action hangs on
            deadClient.close();
            long died = System.nanoTime();

            portal.workers().open();

            portal.awaitStatus(run.id(), RunStatus.COMPLETED);
            System.out.printf("step taken over %d ms after its host died (job timeout %s)%n",
                    Duration.ofNanos(System.nanoTime() - died).toMillis(), TIMEOUT);
            assertThat(hanging.executions.get()).isEqualTo(1);
            // the log shows the take-over and both deliveries' lines
            assertThat(portal.runs.events(run.id(), 0, 100)).extracting(dev.portal.scaffolder.run.RunEvent::message)
                    .containsSubsequence("push (test.slow) started", "waiting for the slow service",
                            "push (test.slow) taken up again: the worker that had it stopped answering",
                            "waiting for the slow service", "push completed", "run completed");
        } finally {
            hanging.open();
            dead.close();
        }
    }

    private static Run startRun() {
        return portal.scaffolder.start(EntityRef.parse("template:default/slow"), JSON.createObjectNode(), "user:default/alice");
    }

    private static void eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
