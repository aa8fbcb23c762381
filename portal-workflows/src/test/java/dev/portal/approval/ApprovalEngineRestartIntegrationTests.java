package dev.portal.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.error.ConflictException;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Approval tasks across a restart of the in-JVM engine, which hands out the same job keys again:
 * a task is identified by its own id, so a new run's task whose job key an old task had is a task
 * of its own, and nothing decided on one reaches the other.
 */
class ApprovalEngineRestartIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef BOB = EntityRef.parse("user:default/bob");

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    ZeebeApprovals approvals;
    ApprovalInbox inbox;

    @BeforeAll
    static void setUp() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
        Path folder = Files.createDirectories(dir.resolve("gate"));
        Files.writeString(folder.resolve("gate.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("gate")
                .startEvent()
                .userTask("approve", task -> task.zeebeCandidateUsers("bob"))
                .serviceTask("announce", task -> task.zeebeJobType("portal.log").zeebeInputExpression("\"approved by \" + approver", "message"))
                .endEvent()
                .done()));
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: gate}
                spec:
                  type: service
                  owner: group:default/platform
                  workflow: {processId: gate, resource: gate.bpmn}
                """)), Location.Origin.CONFIG);
    }

    @AfterAll
    static void tearDown() {
        portal.close();
    }

    /** Each test starts on a fresh engine with its workers closed (see {@link #startRun()}). */
    @BeforeEach
    void freshEngine() {
        portal.restartEngine(false);
        connect();
    }

    @AfterEach
    void disconnect() {
        approvals.close();
    }

    /** The inbox on the fixture's current engine, as a host wires it at start-up (its worker opened later). */
    private void connect() {
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), true, "restart-test");
        inbox = new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false), Set.of()), approvals, List.of());
    }

    private void restartEngine() {
        approvals.close();
        portal.restartEngine(false);
        connect();
    }

    @Test
    void aNewRunsTaskWithAnOldTasksJobKeyIsATaskOfItsOwnAndBothKeepTheirDecisions() {
        Run first = startRun();
        ApprovalTask old = awaitTask(first.id());
        inbox.decide(old.id(), BOB, true, "first", null);
        portal.awaitStatus(first.id(), RunStatus.COMPLETED);

        restartEngine();
        Run second = startRun();
        ApprovalTask fresh = awaitTask(second.id());

        assertThat(fresh.jobKey()).as("the restarted engine hands out the old job key again").isEqualTo(old.jobKey());
        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(fresh.runId()).isEqualTo(second.id());
        assertThat(inbox.get(old.id(), BOB).status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(inbox.get(fresh.id(), BOB).status()).isEqualTo(ApprovalStatus.OPEN);
        assertThat(inbox.mine(BOB)).extracting(ApprovalTask::id).contains(fresh.id()).doesNotContain(old.id());

        Decision decision = inbox.decide(fresh.id(), BOB, true, "second", null);

        assertThat(decision.taskId()).isEqualTo(fresh.id());
        portal.awaitStatus(second.id(), RunStatus.COMPLETED);
        assertThat(inbox.store().decision(old.id())).hasValueSatisfying(made -> {
            assertThat(made.approved()).isTrue();
            assertThat(made.comment()).contains("first");
        });
        assertThat(inbox.store().decision(fresh.id())).hasValueSatisfying(made -> assertThat(made.comment()).contains("second"));
        assertThat(inbox.store().audit(second.id())).extracting(AuditEntry::taskId).containsOnly(fresh.id());
        assertThat(inbox.store().audit(first.id())).extracting(AuditEntry::taskId).containsOnly(old.id());
    }

    @Test
    void anOpenTaskWhoseEngineIsGoneIsClosedAndCannotDecideTheNewRunsTaskWithTheSameKey() {
        Run first = startRun();
        ApprovalTask old = awaitTask(first.id());

        restartEngine();
        Run second = startRun();
        ApprovalTask fresh = awaitTask(second.id());

        assertThat(fresh.jobKey()).isEqualTo(old.jobKey());
        assertThat(inbox.get(old.id(), BOB).status()).isEqualTo(ApprovalStatus.CANCELLED);
        assertThatThrownBy(() -> inbox.decide(old.id(), BOB, true, "too late", null)).isInstanceOf(ConflictException.class);
        portal.awaitStatus(second.id(), RunStatus.WAITING_FOR_APPROVAL);
        assertThat(inbox.get(fresh.id(), BOB).status()).isEqualTo(ApprovalStatus.OPEN);

        inbox.decide(fresh.id(), BOB, true, "mine", null);

        portal.awaitStatus(second.id(), RunStatus.COMPLETED);
        assertThat(inbox.store().decisionsOfRun(first.id())).isEmpty();
    }

    /**
     * Starts a run on a fresh engine and lets it reach its user task before any worker polls (a
     * poll takes a key too), so the engine gives the task's job the same key each time; then opens
     * the workers.
     */
    private Run startRun() {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/gate"), JSON.createObjectNode(), ALICE.canonical());
        try {
            portal.engine.engine().waitForIdleState(Duration.ofSeconds(10));
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the engine did not settle after the start", e);
        }
        ApprovalInbox current = inbox;
        approvals.open(() -> current);
        portal.workers().open();
        return run;
    }

    private ApprovalTask awaitTask(UUID runId) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            var open = inbox.store().openOfRun(runId);
            if (!open.isEmpty()) {
                return open.getFirst();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no open task for run " + runId + "; events " + portal.runs.events(runId, 0, 100));
    }
}
