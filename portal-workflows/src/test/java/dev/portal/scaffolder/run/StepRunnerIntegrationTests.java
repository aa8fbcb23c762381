package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.testing.EchoAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Zeebe delivers a job at least once; these tests deliver the same job twice, as a crash or a job
 * timeout would, and check the work is done once.
 */
class StepRunnerIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PostgresDatabase database;
    static RunStore runs;

    @TempDir
    Path workspaces;

    @BeforeAll
    static void database() {
        database = PostgresDatabase.create();
        WorkflowsSchema.migrate(database.dataSource(), database.schema());
        runs = new RunStore(database.dsl());
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    private UUID newRun() {
        UUID id = UUID.randomUUID();
        ObjectNode template = (ObjectNode) JSON.valueToTree(java.util.Map.of(
                "apiVersion", "scaffolder.backstage.io/v1beta3", "kind", "Template",
                "metadata", java.util.Map.of("name", "t", "namespace", "default"),
                "spec", java.util.Map.of("type", "service", "workflow", java.util.Map.of("processId", "p"))));
        runs.create(new NewRun(id, "template:default/t", "etag", template, "p", JSON.createObjectNode(), "user:default/alice"));
        return id;
    }

    private static StepJob job(UUID run, long elementInstanceKey, long jobKey) {
        return job(run, elementInstanceKey, jobKey, 1000);
    }

    /** A delivery of the job: {@code activation} is new each time Zeebe activates it again. */
    private static StepJob job(UUID run, long elementInstanceKey, long jobKey, long activation) {
        return new StepJob(run, "echo", "test.echo", elementInstanceKey, jobKey, activation,
                JSON.createObjectNode().put("text", "hello"));
    }

    @Test
    void aRedeliveredJobOfACompletedStepReplaysItsOutputWithoutRunningTheActionAgain() {
        EchoAction echo = new EchoAction();
        StepRunner runner = new StepRunner(new ActionRegistry(List.of(echo)), runs, new Workspaces(workspaces));
        UUID run = newRun();

        StepOutcome first = runner.run(job(run, 10, 11));
        StepOutcome second = runner.run(job(run, 10, 11));

        assertThat(echo.executions).hasValue(1);
        assertThat(first).isEqualTo(new StepOutcome.Completed(JSON.createObjectNode().put("echoed", "hello"), false));
        assertThat(second).isEqualTo(new StepOutcome.Completed(JSON.createObjectNode().put("echoed", "hello"), true));
        assertThat(runs.events(run, 0, 100)).extracting(RunEvent::message)
                .containsOnlyOnce("echo (test.echo) started", "echoing hello", "echo completed");
    }

    @Test
    void aJobRedeliveredAfterACrashMidStepRunsAgainAsTheSameAttemptAndTheLogShowsTheTakeOver() {
        EchoAction echo = new EchoAction();
        StepRunner runner = new StepRunner(new ActionRegistry(List.of(echo)), runs, new Workspaces(workspaces));
        UUID run = newRun();
        // the first delivery started the step and logged, then the worker died before completing
        runs.beginStep(run, "echo", "test.echo", 10, 11, 1000);
        runs.log(run, "echo", 1, 1, 1, "info", "pushing 3 commits");

        StepOutcome outcome = runner.run(job(run, 10, 11, 2000));

        assertThat(outcome).isInstanceOf(StepOutcome.Completed.class);
        assertThat(runs.find(run).orElseThrow().steps()).singleElement()
                .satisfies(step -> assertThat(step.attempt()).isEqualTo(1));
        assertThat(runs.events(run, 0, 100)).extracting(RunEvent::message).containsSubsequence(
                "echo (test.echo) started", "pushing 3 commits",
                "echo (test.echo) taken up again: the worker that had it stopped answering",
                "echoing hello", "echo completed");
    }

    @Test
    void theSameDeliveryWritingALineTwiceIsLoggedOnce() {
        UUID run = newRun();
        runs.beginStep(run, "echo", "test.echo", 10, 11, 1000);
        runs.log(run, "echo", 1, 1, 1, "info", "pushing 3 commits");

        StepStart again = runs.beginStep(run, "echo", "test.echo", 10, 11, 1000);
        runs.log(run, "echo", 1, again.delivery(), 1, "info", "pushing 3 commits");

        assertThat(again.delivery()).isEqualTo(1);
        assertThat(runs.events(run, 0, 100)).extracting(RunEvent::message)
                .containsOnlyOnce("echo (test.echo) started", "pushing 3 commits")
                .noneMatch(message -> message.contains("taken up again"));
    }

    @Test
    void theProcessComingBackToAStepRunsItAgain() {
        EchoAction echo = new EchoAction();
        StepRunner runner = new StepRunner(new ActionRegistry(List.of(echo)), runs, new Workspaces(workspaces));
        UUID run = newRun();

        runner.run(job(run, 10, 11));
        StepOutcome loop = runner.run(job(run, 20, 21));

        assertThat(echo.executions).hasValue(2);
        assertThat(loop).isEqualTo(new StepOutcome.Completed(JSON.createObjectNode().put("echoed", "hello"), false));
    }

    @Test
    void inputThatBreaksTheActionsSchemaFailsWithoutRetryNamingTheField() {
        EchoAction echo = new EchoAction();
        StepRunner runner = new StepRunner(new ActionRegistry(List.of(echo)), runs, new Workspaces(workspaces));
        UUID run = newRun();

        StepOutcome outcome = runner.run(new StepJob(run, "echo", "test.echo", 10, 11, 1000, JSON.createObjectNode().put("text", 5)));

        assertThat(outcome).isInstanceOfSatisfying(StepOutcome.Failed.class, failed -> {
            assertThat(failed.retryable()).isFalse();
            assertThat(failed.message()).startsWith("step echo (test.echo): input.text:");
        });
        assertThat(echo.executions).hasValue(0);
    }
}
