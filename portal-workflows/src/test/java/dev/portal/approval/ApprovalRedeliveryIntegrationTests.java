package dev.portal.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user task is never lost between the engine and the inbox: a host that took the task's job and
 * died before recording it, or a database that refused the insert, leaves the task in the inbox
 * within seconds, not after a long job timeout.
 */
class ApprovalRedeliveryIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ACTIVATION_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static ZeebeApprovals approvals;
    static ApprovalInbox inbox;

    @BeforeAll
    static void start() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), ACTIVATION_TIMEOUT, false, "survivor", true);
        inbox = new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false), Set.of()), approvals, List.of());
        for (String name : List.of("wait", "refused")) {
            portal.template(dir, name, Bpmn.createExecutableProcess(name)
                    .startEvent().userTask(name + "Approval").endEvent().done());
        }
    }

    @AfterAll
    static void stop() {
        approvals.close();
        portal.close();
    }

    @Test
    void aTaskWhoseHostDiedBeforeRecordingItIsInTheInboxWithinSeconds() throws Exception {
        approvals.close();
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        // a second instance with its own client; it takes the job, then hangs as a killed host would
        try (CamundaClient deadClient = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + portal.engine.engine().getGatewayAddress()))
                .preferRestOverGrpc(false).build();
             ZeebeApprovals dead = new ZeebeApprovals(deadClient, Duration.ofHours(1), ACTIVATION_TIMEOUT, false, "dead", true)) {
            dead.open(() -> {
                arrived.countDown();
                try {
                    never.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("this host is dead");
            });
            Run run = start("wait");
            assertThat(arrived.await(10, TimeUnit.SECONDS)).as("the job reached the host that dies").isTrue();
            long died = System.nanoTime();

            approvals.open(() -> inbox);

            ApprovalTask task = awaitTask(run.id());
            System.out.printf("approval back in the inbox %d ms after its host died (activation timeout %s)%n",
                    Duration.ofNanos(System.nanoTime() - died).toMillis(), ACTIVATION_TIMEOUT);
            assertThat(task.stepId()).isEqualTo("waitApproval");
            portal.awaitStatus(run.id(), RunStatus.WAITING_FOR_APPROVAL);
            dead.close();
            never.countDown();
        }
    }

    @Test
    void aTaskTheDatabaseRefusedToRecordIsOfferedAgainAndRecordedOnce() {
        approvals.open(() -> inbox);
        String schema = portal.database.schema().name();
        portal.database.dsl().execute("""
                create sequence %1$s.approval_refusals;
                create function %1$s.refuse_first_approval() returns trigger language plpgsql as $$
                begin
                  if new.element_id = 'refusedApproval' and nextval('%1$s.approval_refusals') = 1 then
                    raise exception 'could not extend file (test): No space left on device';
                  end if;
                  return new;
                end $$;
                create trigger refuse_first_approval before insert on %1$s.approval_tasks
                  for each row execute function %1$s.refuse_first_approval();
                """.formatted(schema));

        Run run = start("refused");

        ApprovalTask task = awaitTask(run.id());
        assertThat(task.stepId()).isEqualTo("refusedApproval");
        long tried = portal.database.dsl().fetchOne("select last_value from " + schema + ".approval_refusals").get(0, Long.class);
        assertThat(tried)
                .as("inserts tried").isGreaterThanOrEqualTo(2L);
        portal.awaitStatus(run.id(), RunStatus.WAITING_FOR_APPROVAL);
        assertThat(inbox.store().ofRun(run.id())).hasSize(1);
    }

    private static Run start(String template) {
        return portal.scaffolder.start(EntityRef.parse("template:default/" + template), JSON.createObjectNode(),
                "user:default/alice");
    }

    /** Well within the 5 minutes a task used to be in nobody's inbox. */
    private static ApprovalTask awaitTask(UUID runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<ApprovalTask> open = inbox.store().openOfRun(runId);
            if (!open.isEmpty()) {
                return open.getFirst();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no open task for run " + runId + " within 20 s; events " + portal.runs.events(runId, 0, 100));
    }
}
