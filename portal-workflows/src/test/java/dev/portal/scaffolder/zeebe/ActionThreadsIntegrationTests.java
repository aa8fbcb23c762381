package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.testing.SlowAction;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actions run on threads of their own, at most {@code threads} at once: a slow action (a git host
 * that hangs) delays neither another run's steps nor its approvals, and jobs beyond the threads
 * are handed back rather than queued.
 */
class ActionThreadsIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUESTER = "user:default/alice";

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static SlowAction slow = new SlowAction();
    static ZeebeApprovals approvals;
    static ApprovalInbox inbox;

    @BeforeAll
    static void start() throws Exception {
        WorkerSettings two = new WorkerSettings("test", Duration.ofMinutes(1), 8, Duration.ofMillis(50),
                Duration.ofMillis(100), true, 2, Map.of());
        portal = new ScaffolderFixture(dir.resolve("workspaces"), catalog -> List.of(new LogAction(), slow), two);
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), false, "test");
        inbox = new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false), Set.of()), approvals, List.of());
        approvals.open(() -> inbox);
        portal.template(dir, "slow", Bpmn.createExecutableProcess("slow")
                .startEvent()
                .serviceTask("push", task -> task.zeebeJobType("test.slow"))
                .endEvent()
                .done());
        portal.template(dir, "review", Bpmn.createExecutableProcess("review")
                .startEvent()
                .serviceTask("note", task -> task.zeebeJobType("portal.log").zeebeInput("=\"asking\"", "message"))
                .userTask("approve")
                .endEvent()
                .done());
    }

    @AfterEach
    void letSlowActionsFinish() {
        slow.open();
    }

    @AfterAll
    static void stop() {
        approvals.close();
        portal.close();
    }

    @Test
    void anotherRunsStepsAndApprovalGoOnWhileAnActionHangs() {
        slow.close();
        Run hanging = start("slow");
        eventually(() -> slow.running.get() == 1);

        long requested = System.nanoTime();
        Run review = start("review");

        // the step before the approval ran, and the approval is in the inbox, while the push still hangs
        ApprovalTask task = awaitTask(review.id());
        System.out.printf("request -> inbox %d ms while another run's action hangs%n",
                Duration.ofNanos(System.nanoTime() - requested).toMillis());
        assertThat(task.stepId()).isEqualTo("approve");
        assertThat(portal.runs.find(review.id()).orElseThrow().steps()).extracting(Run.Step::stepId, Run.Step::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("note", "completed"));
        assertThat(slow.running.get()).as("the slow action is still running").isEqualTo(1);
        assertThat(portal.runs.find(hanging.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

        slow.open();
        portal.awaitStatus(hanging.id(), RunStatus.COMPLETED);
    }

    @Test
    void runsNoMoreActionsAtOnceThanItHasThreadsAndTakesTheRestWhenOneIsFree() {
        slow.close();
        slow.peak.set(0);
        int before = slow.executions.get();
        Run first = start("slow");
        Run second = start("slow");
        Run third = start("slow");
        eventually(() -> slow.running.get() == 2);

        slow.open();

        for (Run run : List.of(first, second, third)) {
            portal.awaitStatus(run.id(), RunStatus.COMPLETED);
        }
        assertThat(slow.peak.get()).as("actions that ran at once").isEqualTo(2);
        assertThat(slow.executions.get() - before).as("each step ran once").isEqualTo(3);
    }

    private static Run start(String template) {
        return portal.scaffolder.start(EntityRef.parse("template:default/" + template), JSON.createObjectNode(), REQUESTER);
    }

    private static ApprovalTask awaitTask(UUID runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<ApprovalTask> open = inbox.store().openOfRun(runId);
            if (!open.isEmpty()) {
                return open.getFirst();
            }
            sleep();
        }
        throw new AssertionError("no open task for run " + runId + " within 10 s; events " + portal.runs.events(runId, 0, 100));
    }

    private static void eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
