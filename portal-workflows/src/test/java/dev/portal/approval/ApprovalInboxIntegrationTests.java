package dev.portal.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.error.ConflictException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.secret.SecretBox;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static dev.portal.db.workflows.Tables.APPROVAL_TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Approvals on the in-JVM engine with real PostgreSQL: BPMN user tasks, the inbox, decisions. */
class ApprovalInboxIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef BOB = EntityRef.parse("user:default/bob");
    private static final EntityRef CAROL = EntityRef.parse("user:default/carol");
    private static final EntityRef DAVE = EntityRef.parse("user:default/dave");
    private static final EntityRef ERIN = EntityRef.parse("user:default/erin");
    private static final EntityRef FRANK = EntityRef.parse("user:default/frank");

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static ZeebeApprovals approvals;
    static ApprovalInbox inbox;
    static List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(dir.resolve("org.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: engineering}
                spec: {type: department, children: [payments]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: payments}
                spec: {type: team, parent: engineering, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: platform}
                spec: {type: team, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: alice}
                spec: {memberOf: [payments]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: bob}
                spec: {memberOf: [payments]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: carol}
                spec: {memberOf: [platform]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: dave}
                spec: {memberOf: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: erin}
                spec: {memberOf: []}
                """)), Location.Origin.CONFIG);
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), true, "test");
        inbox = newInbox(true);
        approvals.open(() -> inbox);
        portal.scaffolder.onCancel(runId -> inbox.runCancelled(runId));

        portal.template(dir, "review", Bpmn.createExecutableProcess("review")
                .startEvent()
                .userTask("approve", task -> task.zeebeCandidateGroups("engineering").zeebeCandidateUsers("dave")
                        .zeebeAssignee("erin").zeebeFormKey("camunda-forms:bpmn:approval").zeebeTaskHeader(ZeebeApprovals.TITLE_HEADER, "Approve the new service"))
                .exclusiveGateway("decided")
                .condition("=approved")
                .serviceTask("announce", task -> task.zeebeJobType("portal.log")
                        .zeebeInputExpression("\"approved by \" + approver + \": \" + approvalComment", "message"))
                .endEvent("created")
                .moveToLastExclusiveGateway()
                .defaultFlow()
                .scriptTask("markRejected", task -> task.zeebeExpression("\"rejected\"").zeebeResultVariable("portalOutcome"))
                .endEvent("refused")
                .done());
        portal.template(dir, "review-secret", "reviewSecret", Bpmn.createExecutableProcess("reviewSecret")
                .startEvent()
                .userTask("approve", task -> task.zeebeCandidateGroups("engineering"))
                .endEvent()
                .done(), """
                parameters:
                  - properties:
                      name: {type: string}
                      token: {type: string, "ui:field": Secret}
                """);
        portal.template(dir, "two-approvals", Bpmn.createExecutableProcess("two-approvals")
                .startEvent()
                .parallelGateway("fork")
                .userTask("owners", task -> task.zeebeCandidateGroups("payments"))
                .parallelGateway("join")
                .endEvent()
                .moveToNode("fork")
                .userTask("department", task -> task.zeebeCandidateGroups("engineering"))
                .connectTo("join")
                .done());
        portal.template(dir, "escalates", Bpmn.createExecutableProcess("escalates")
                .startEvent()
                .userTask("teamApproval", task -> task.zeebeCandidateGroups("payments"))
                .boundaryEvent("threeDays", event -> event.timerWithDuration("P3D").cancelActivity(true))
                .userTask("platformApproval", task -> task.zeebeCandidateGroups("platform"))
                .endEvent("escalatedEnd")
                .moveToActivity("teamApproval")
                .endEvent("teamEnd")
                .done());
    }

    private static ApprovalInbox newInbox(boolean nested) {
        return new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), nested), Set.of(EntityRef.parse("group:default/platform"))),
                approvals, List.of(new ApprovalListener() {
                    @Override
                    public void created(ApprovalTask task) {
                        heard.add("created " + task.id());
                    }

                    @Override
                    public void decided(ApprovalTask task, Decision decision) {
                        heard.add("decided " + task.id());
                    }

                    @Override
                    public void escalated(ApprovalTask task) {
                        heard.add("escalated " + task.id());
                    }
                }));
    }

    @AfterAll
    static void stop() {
        approvals.close();
        portal.close();
    }

    private static Run start(String template, EntityRef requester) {
        return portal.scaffolder.start(EntityRef.parse("template:default/" + template), JSON.createObjectNode(), requester.canonical());
    }

    private static ApprovalTask awaitTask(UUID runId, String stepId) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            var open = inbox.store().openOfRun(runId).stream().filter(task -> task.stepId().equals(stepId)).findFirst();
            if (open.isPresent()) {
                return open.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no open task " + stepId + " for run " + runId + "; events " + portal.runs.events(runId, 0, 100));
    }

    private static void eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static Run await(UUID runId, Predicate<Run> condition) {
        return portal.await(runId, condition);
    }

    @Test
    void approvingCompletesTheTaskAndTheProcessTakesTheApprovedBranch() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        await(run.id(), r -> r.status() == RunStatus.WAITING_FOR_APPROVAL);
        assertThat(task.name()).isEqualTo("Approve the new service");
        assertThat(task.formKey()).contains("camunda-forms:bpmn:approval");
        assertThat(task.candidateGroups()).containsExactly(EntityRef.parse("group:default/engineering"));
        assertThat(task.requester()).isEqualTo(ALICE.canonical());

        Decision decision = inbox.decide(task.id(), BOB, true, "looks good", null);

        assertThat(decision.appliedAt()).isPresent();
        Run done = await(run.id(), r -> r.status() == RunStatus.COMPLETED);
        assertThat(portal.runs.events(run.id(), 0, 100)).extracting(dev.portal.scaffolder.run.RunEvent::message)
                .contains("approved by user:default/bob: looks good");
        assertThat(done.steps()).extracting(Run.Step::stepId).containsExactly("announce");
        assertThat(inbox.store().audit(run.id())).extracting(AuditEntry::action, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("created", "portal"),
                        org.assertj.core.groups.Tuple.tuple("approved", "user:default/bob"));
        assertThat(heard).contains("created " + task.id(), "decided " + task.id());
    }

    @Test
    void theDecisionIsInTheRunsLogBeforeAnythingTheProcessDoesAfterIt() {
        for (int i = 0; i < 5; i++) {
            Run run = start("review", ALICE);
            ApprovalTask task = awaitTask(run.id(), "approve");

            inbox.decide(task.id(), BOB, true, "go", null);

            await(run.id(), r -> r.status() == RunStatus.COMPLETED);
            assertThat(portal.runs.events(run.id(), 0, 100)).extracting(dev.portal.scaffolder.run.RunEvent::message)
                    .containsSubsequence("approved by user:default/bob", "announce (portal.log) started", "run completed");
        }
    }

    @Test
    void rejectingEndsTheRunAsRejectedWithTheReason() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        inbox.decide(task.id(), BOB, false, "we have one already", null);

        Run rejected = await(run.id(), r -> r.status() == RunStatus.REJECTED);
        assertThat(rejected.steps()).isEmpty();
        assertThat(inbox.store().decision(task.id())).hasValueSatisfying(decision -> {
            assertThat(decision.approved()).isFalse();
            assertThat(decision.comment()).contains("we have one already");
        });
    }

    @Test
    void onlyTheAssigneeCandidatesAndGroupMembersMayDecideNeverTheRequester() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        ApprovalPolicy flat = new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false), Set.of());
        ApprovalPolicy nested = new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), true), Set.of());

        assertThat(nested.refusal(task, ERIN)).as("assignee").isEmpty();
        assertThat(nested.refusal(task, DAVE)).as("candidate user").isEmpty();
        assertThat(nested.refusal(task, BOB)).as("member of payments, a child of the candidate group engineering").isEmpty();
        assertThat(flat.refusal(task, BOB)).as("without nesting, payments is not engineering").isPresent();
        assertThat(nested.refusal(task, ALICE)).as("the requester, under four-eyes")
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("four-eyes"));
        assertThat(nested.refusal(task, CAROL)).as("a stranger (platform)").isPresent();
        assertThat(nested.refusal(task, FRANK)).as("not even in the catalog").isPresent();

        assertThatThrownBy(() -> inbox.decide(task.id(), ALICE, true, "mine", null))
                .isInstanceOf(NotAllowedException.class);
        assertThatThrownBy(() -> inbox.decide(task.id(), CAROL, true, null, null))
                .isInstanceOf(NotAllowedException.class);
        assertThat(inbox.mine(BOB)).extracting(ApprovalTask::id).contains(task.id());
        assertThat(inbox.mine(ALICE)).extracting(ApprovalTask::id).doesNotContain(task.id());
        inbox.decide(task.id(), DAVE, true, null, null);
    }

    @Test
    void aClaimedTaskIsDecidedOnlyByItsHolder() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        inbox.claim(task.id(), BOB);

        assertThatThrownBy(() -> inbox.decide(task.id(), DAVE, true, null, null))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> inbox.claim(task.id(), DAVE)).isInstanceOf(ConflictException.class);
        inbox.unclaim(task.id(), BOB);
        inbox.decide(task.id(), DAVE, true, null, null);
        assertThat(inbox.store().audit(run.id())).extracting(AuditEntry::action)
                .containsExactly("created", "claimed", "unclaimed", "approved");
    }

    @Test
    void twentyConcurrentDecisionsApplyExactlyOne() throws Exception {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean approve = i % 2 == 0;
            EntityRef who = i % 3 == 0 ? DAVE : BOB;
            Callable<Boolean> decide = () -> {
                go.await();
                try {
                    inbox.decide(task.id(), who, approve, "attempt", null);
                    return true;
                } catch (ConflictException e) {
                    return false;
                }
            };
            outcomes.add(pool.submit(decide));
        }
        go.countDown();
        int applied = 0;
        for (Future<Boolean> outcome : outcomes) {
            applied += outcome.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(applied).isEqualTo(1);
        assertThat(inbox.store().decisionsOfRun(run.id())).hasSize(1);
        assertThat(inbox.store().audit(run.id())).filteredOn(entry -> !entry.action().equals("created")).hasSize(1);
        await(run.id(), r -> r.status().isFinal());
    }

    @Test
    void anEscalationTimerClosesTheTaskAsEscalatedAndTheNextGroupGetsANewOne() {
        Run run = start("escalates", ALICE);
        ApprovalTask team = awaitTask(run.id(), "teamApproval");

        portal.engine.engine().increaseTime(Duration.ofDays(4));
        ApprovalTask platform = awaitTask(run.id(), "platformApproval");

        eventually(() -> inbox.store().find(team.id()).orElseThrow().status() == ApprovalStatus.ESCALATED);
        eventually(() -> heard.contains("escalated " + team.id()));
        assertThatThrownBy(() -> inbox.decide(team.id(), BOB, true, null, null)).isInstanceOf(ConflictException.class);
        assertThat(platform.candidateGroups()).containsExactly(EntityRef.parse("group:default/platform"));
        inbox.decide(platform.id(), CAROL, true, null, null);
        await(run.id(), r -> r.status() == RunStatus.COMPLETED);
    }

    @Test
    void aDecisionThatNeverReachedZeebeIsAppliedByReconcile() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        // the decision is stored, then the process dies before completing the job
        inbox.store().decide(task.id(), true, "stored only", BOB, JSON.createObjectNode());
        assertThat(inbox.store().unapplied()).extracting(Decision::taskId).contains(task.id());

        ApprovalInbox afterRestart = newInbox(true);
        assertThat(afterRestart.reconcile()).isGreaterThanOrEqualTo(1);

        await(run.id(), r -> r.status() == RunStatus.COMPLETED);
        assertThat(inbox.store().unapplied()).extracting(Decision::taskId).doesNotContain(task.id());
    }

    @Test
    void anApproversFormMayNotChangeTheRunsOwnVariables() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        for (String reserved : List.of("portalRunId", "values", "portalOutcome", "approved")) {
            assertThatThrownBy(() -> inbox.decide(task.id(), BOB, true, null, JSON.createObjectNode().put(reserved, "x")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'" + reserved + "'");
        }
        assertThat(inbox.store().find(task.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.OPEN);
        inbox.decide(task.id(), BOB, true, null, JSON.createObjectNode().put("reviewNotes", "fine"));
    }

    @Test
    void approversSeeTheRunsValuesWithSecretParametersMaskedNeitherSealedNorInClear() throws Exception {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/review-secret"),
                (ObjectNode) JSON.readTree("{\"name\": \"svc\", \"token\": \"hunter2\"}"), ALICE.canonical());
        ApprovalTask task = awaitTask(run.id(), "approve");

        assertThat(task.variables().path("values").path("name").asText()).isEqualTo("svc");
        assertThat(task.variables().path("values").path("token").asText()).isEqualTo(SecretBox.MASK);
        String stored = portal.database.dsl().select(APPROVAL_TASKS.VARIABLES).from(APPROVAL_TASKS)
                .where(APPROVAL_TASKS.ID.eq(task.id())).fetchOne(APPROVAL_TASKS.VARIABLES);
        assertThat(stored).contains(SecretBox.MASK).doesNotContain("hunter2").doesNotContain(SecretBox.PREFIX);

        inbox.decide(task.id(), BOB, true, null, null);
        await(run.id(), r -> r.status() == RunStatus.COMPLETED);
    }

    @Test
    void onePersonDecidesOneApprovalOfARunEvenWhenBothDecisionsAreSentAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 5; i++) {
                Run run = start("two-approvals", ALICE);
                List<ApprovalTask> tasks = List.of(awaitTask(run.id(), "owners"), awaitTask(run.id(), "department"));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> decided = new ArrayList<>();
                for (ApprovalTask task : tasks) {
                    decided.add(pool.submit(() -> {
                        go.await();
                        try {
                            inbox.decide(task.id(), BOB, true, null, null);
                            return true;
                        } catch (NotAllowedException e) {
                            assertThat(e).hasMessageContaining("separate deciders");
                            return false;
                        }
                    }));
                }
                go.countDown();

                List<Boolean> outcomes = List.of(decided.get(0).get(), decided.get(1).get());
                assertThat(outcomes).as("run %s", run.id()).containsOnlyOnce(true);
                ApprovalTask left = tasks.get(outcomes.indexOf(false));
                assertThatThrownBy(() -> inbox.claim(left.id(), BOB)).isInstanceOf(NotAllowedException.class)
                        .hasMessageContaining("separate deciders");
                assertThat(inbox.store().find(left.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.OPEN);
                portal.scaffolder.cancel(run.id(), ALICE.canonical());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDecisionSetsOnlyTheFieldsOfTheTasksForm() {
        ApprovalInbox byForm = new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), true), Set.of(EntityRef.parse("group:default/platform"))),
                approvals, List.of(), true, task -> java.util.Optional.of(Set.of("reviewNotes")));
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        // a later step's input comes from its headers unless a variable of that name exists
        assertThatThrownBy(() -> byForm.decide(task.id(), BOB, true, null, JSON.createObjectNode().put("message", "redirected")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'message'").hasMessageContaining("form has no such field").hasMessageContaining("reviewNotes");
        assertThat(inbox.store().find(task.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.OPEN);

        byForm.decide(task.id(), BOB, true, "ok", JSON.createObjectNode().put("reviewNotes", "fine"));
        await(run.id(), r -> r.status() == RunStatus.COMPLETED);
    }

    @Test
    void aCommentWithAControlCharacterIsRefusedAndTheTaskStaysOpen() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        assertThatThrownBy(() -> inbox.decide(task.id(), BOB, true, "fine\u0000", null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("comment").hasMessageContaining("U+0000");
        assertThat(inbox.store().find(task.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.OPEN);
        inbox.decide(task.id(), BOB, true, "fine", null);
    }

    @Test
    void cancellingARunClosesItsOpenTasks() {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        portal.scaffolder.cancel(run.id(), ALICE.canonical());

        assertThat(inbox.store().find(task.id()).orElseThrow().status()).isEqualTo(ApprovalStatus.CANCELLED);
    }
}
