package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.testing.SlowAction;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt that runs longer than its action may is given up: the job fails as for an action that
 * threw (a retry, then an incident and a failed run), the action's thread is interrupted and its
 * slot freed, and what the action returns afterwards is not the step's result. One action thread
 * on this host, so a slot that stayed taken would stop every other run here.
 */
class ActionTimeLimitIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final String GIVEN_UP = "push (test.slow) did not finish within 1s, the longest an attempt of it"
            + " may run (portal.scaffolder.worker.max-action-times[test.slow]); it was interrupted";

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static SlowAction slow = new SlowAction();
    static SlowAction stubborn = new SlowAction("test.stubborn", true);

    @BeforeAll
    static void setUp() throws Exception {
        WorkerSettings oneThread = new WorkerSettings("test", Duration.ofMinutes(1), 8, Duration.ofMillis(50),
                Duration.ofMillis(100), true, 1, Map.of(), Duration.ofMinutes(30),
                Map.of(slow.id(), LIMIT, stubborn.id(), LIMIT));
        portal = new ScaffolderFixture(dir.resolve("workspaces"), catalog -> List.of(new LogAction(), slow, stubborn),
                oneThread);
        portal.template(dir, "slow", Bpmn.createExecutableProcess("slow").startEvent()
                .serviceTask("push", task -> task.zeebeJobType(slow.id()).zeebeJobRetries("2")).endEvent().done());
        portal.template(dir, "stubborn", Bpmn.createExecutableProcess("stubborn").startEvent()
                .serviceTask("apply", task -> task.zeebeJobType(stubborn.id()).zeebeJobRetries("1")).endEvent().done());
        portal.template(dir, "quick", Bpmn.createExecutableProcess("quick").startEvent()
                .serviceTask("say", task -> task.zeebeJobType("portal.log").zeebeTaskHeader("message", "hello"))
                .endEvent().done());
    }

    @AfterAll
    static void stop() {
        slow.open();
        stubborn.open();
        portal.close();
    }

    @Test
    void anAttemptThatHangsIsGivenUpAfterItsTimeAndTheRunFailsWhenNoRetryIsLeft() {
        slow.close();
        int before = slow.executions.get();

        Run run = start("slow");

        Run failed = portal.awaitStatus(run.id(), RunStatus.FAILED);
        assertThat(failed.errorMessage()).contains(GIVEN_UP);
        assertThat(slow.executions.get() - before).as("both attempts the task's two retries allow").isEqualTo(2);
        assertThat(slow.running.get()).as("each attempt's wait was interrupted").isZero();
        assertThat(messages(run)).containsSubsequence(
                "push (test.slow) started", "waiting for the slow service",
                "push failed, 1 retries left: " + GIVEN_UP,
                "push (test.slow) started, attempt 2", "waiting for the slow service",
                "push failed: " + GIVEN_UP, "run failed at push: " + GIVEN_UP);
    }

    @Test
    void anActionThatIgnoresTheInterruptFreesItsThreadAndItsLateResultIsDropped() {
        stubborn.close();
        Run stuck = start("stubborn");

        portal.awaitStatus(stuck.id(), RunStatus.FAILED);
        assertThat(stubborn.interrupts.get()).as("the action was interrupted, and went on waiting").isPositive();

        // the only action thread is still inside the stubborn action; another run's step runs all the same
        Run other = start("quick");
        portal.awaitStatus(other.id(), RunStatus.COMPLETED);

        stubborn.open();
        portal.await(stuck.id(), run -> messages(run).stream().anyMatch(line -> line.contains("output was dropped")));
        Run after = portal.runs.find(stuck.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(RunStatus.FAILED);
        assertThat(after.output().has("slow")).as("the late output is not the run's").isFalse();
        assertThat(messages(after)).noneMatch(line -> line.equals("apply completed"))
                .anyMatch(line -> line.equals("apply finished in attempt 1 after that attempt was already settled"
                        + " (given up, or finished by another delivery); this output was dropped"));
    }

    private static List<String> messages(Run run) {
        return portal.runs.events(run.id(), 0, 1000).stream().map(RunEvent::message).toList();
    }

    private static Run start(String template) {
        return portal.scaffolder.start(EntityRef.parse("template:default/" + template), JSON.createObjectNode(),
                "user:default/alice");
    }
}
