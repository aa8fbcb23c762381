package dev.portal.approval.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.portal.db.workflows.Tables.APPROVAL_TASKS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approvers told by webhook, on the in-JVM engine with real PostgreSQL and a real HTTP receiver
 * (the JDK's server): signed bodies with the task's link, retries after a failure, a receiver that
 * never answers holding up nothing, one notice per task event even after a restart, per-task
 * channels, escalations and due-date reminders.
 */
class ApprovalNotificationsIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef BOB = EntityRef.parse("user:default/bob");
    private static final EntityRef CAROL = EntityRef.parse("user:default/carol");
    private static final EntityRef ERIN = EntityRef.parse("user:default/erin");
    private static final String SECRET = "s3cr3t-for-tests";
    private static final String UI = "https://portal.example.com/portal";
    private static final String URL_TOKEN = "T0KEN-IN-THE-URL";
    static int closedPort;

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static ZeebeApprovals approvals;
    static ApprovalInbox inbox;
    static ApprovalNotifications notifications;
    static HttpServer receiver;
    static final Map<String, BlockingQueue<Received>> received = new ConcurrentHashMap<>();
    static final AtomicInteger flakyCalls = new AtomicInteger();
    static final CountDownLatch deadReleased = new CountDownLatch(1);
    static final AtomicInteger deadWaiting = new AtomicInteger();

    record Received(Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().getFirst()).orElse(null);
        }

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String path : List.of("ok", "security", "flaky", "dead", "refusing")) {
            received.put(path, new LinkedBlockingQueue<>());
            receiver.createContext("/" + path, exchange -> answer(path, exchange));
        }
        receiver.start();

        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(dir.resolve("org.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: payments}
                spec: {type: team, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: platform}
                spec: {type: team, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: alice}
                spec: {memberOf: [payments], profile: {email: alice@example.com}}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: bob}
                spec: {memberOf: [payments], profile: {email: bob@example.com, displayName: Bob Builder}}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: carol}
                spec: {memberOf: [platform], profile: {email: carol@example.com}}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: erin}
                spec: {memberOf: [payments]}
                """)), Location.Origin.CONFIG);
        ApprovalStore store = new ApprovalStore(portal.database.dsl());
        ApprovalPolicy policy = new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false),
                Set.of(EntityRef.parse("group:default/platform")));
        notifications = notifications(store, policy);
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), true, "test");
        inbox = new ApprovalInbox(store, portal.runs, policy, approvals, List.of(notifications));
        approvals.open(() -> inbox);

        template("review", null, process("review", task -> task));
        template("flaky", null, process("flaky", task -> task.zeebeTaskHeader(TaskChannels.WEBHOOKS_HEADER, "flaky")));
        template("dead", null, process("dead", task -> task.zeebeTaskHeader(TaskChannels.WEBHOOKS_HEADER, "dead")));
        template("security", null, process("security", task -> task.zeebeTaskHeader(TaskChannels.WEBHOOKS_HEADER, "security, ok")));
        template("failing", null, process("failing", task -> task.zeebeTaskHeader(TaskChannels.WEBHOOKS_HEADER, "refusing,unreachable")));
        template("quiet", "none", process("quiet", task -> task));
        template("loud", "none", process("loud", task -> task.zeebeTaskHeader(TaskChannels.WEBHOOKS_HEADER, "security")));
        template("twice", null, Bpmn.createExecutableProcess("twice")
                .startEvent()
                .userTask("owners", task -> task.zeebeCandidateGroups("payments"))
                .userTask("security", task -> task.zeebeCandidateGroups("payments"))
                .endEvent()
                .done());
        // as the standard create-service template does: due when its escalation timer fires
        template("due", null, process("due", task -> task.zeebeDueDateExpression("now() + duration(\"PT2H\")")));
        template("escalates", null, Bpmn.createExecutableProcess("escalates")
                .startEvent()
                .userTask("teamApproval", task -> task.zeebeCandidateGroups("payments"))
                .boundaryEvent("threeDays", event -> event.timerWithDuration("P3D").cancelActivity(true))
                .userTask("platformApproval", task -> task.zeebeCandidateGroups("platform"))
                .endEvent("escalatedEnd")
                .moveToActivity("teamApproval")
                .endEvent("teamEnd")
                .done());
    }

    private static ApprovalNotifications notifications(ApprovalStore store, ApprovalPolicy policy) {
        URI base = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/");
        List<Webhook> webhooks = List.of(
                new Webhook("ok", base.resolve("ok"), SECRET, 3, Duration.ofMillis(50), Duration.ofSeconds(5), true),
                new Webhook("security", base.resolve("security"), SECRET, 3, Duration.ofMillis(50), Duration.ofSeconds(5), false),
                new Webhook("flaky", base.resolve("flaky"), SECRET, 3, Duration.ofMillis(50), Duration.ofSeconds(5), false),
                new Webhook("dead", base.resolve("dead"), SECRET, 3, Duration.ofMillis(50), Duration.ofMinutes(5), false),
                new Webhook("refusing", base.resolve("refusing?token=" + URL_TOKEN), SECRET, 3, Duration.ofMillis(50), Duration.ofSeconds(5), false),
                new Webhook("unreachable", URI.create("http://127.0.0.1:" + closedPort + "/hook?token=" + URL_TOKEN), SECRET, 2,
                        Duration.ofMillis(50), Duration.ofSeconds(5), false));
        // one thread: notices go out in the order they were asked for, so a later one arriving proves
        // that an earlier one that should not have been sent was not
        NotificationSettings settings = new NotificationSettings(UI, true, Optional.empty(), "[Portal] ", webhooks,
                Duration.ofDays(1), 1, 100, 50);
        return new ApprovalNotifications(store, new NotificationLedger(portal.database.dsl()), portal.catalog.entities(),
                new TaskRecipients(portal.catalog.entities(), policy, false, TaskRecipients.othersDeciders(store)), settings,
                Optional.empty());
    }

    private static void answer(String path, HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int status = path.equals("flaky") && flakyCalls.incrementAndGet() == 1 ? 500 : path.equals("refusing") ? 403 : 200;
        received.get(path).add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
        if (path.equals("dead")) {
            deadWaiting.incrementAndGet();
            try {
                deadReleased.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        deadReleased.countDown();
        notifications.close();
        approvals.close();
        portal.close();
        receiver.stop(0);
    }

    @BeforeEach
    void drain() {
        received.values().forEach(BlockingQueue::clear);
    }

    private static BpmnModelInstance process(String id, java.util.function.UnaryOperator<io.camunda.zeebe.model.bpmn.builder.UserTaskBuilder> task) {
        return Bpmn.createExecutableProcess(id)
                .startEvent()
                .userTask("approve", builder -> task.apply(builder.zeebeCandidateGroups("payments")
                        .zeebeTaskHeader(ZeebeApprovals.TITLE_HEADER, "Approve the new service")))
                .serviceTask("announce", builder -> builder.zeebeJobType("portal.log").zeebeInputExpression("\"decided\"", "message"))
                .endEvent("done")
                .done();
    }

    private static void template(String name, String webhooksAnnotation, BpmnModelInstance bpmn) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve(name + ".bpmn"), Bpmn.convertToString(bpmn));
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: %s
                  annotations: {%s}
                spec:
                  type: service
                  owner: group:default/platform
                  workflow: {processId: %s, resource: %s.bpmn}
                """.formatted(name, webhooksAnnotation == null ? "" : TaskChannels.WEBHOOKS_ANNOTATION + ": " + webhooksAnnotation,
                name, name))), Location.Origin.CONFIG);
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
        throw new AssertionError("no open task " + stepId + " for run " + runId);
    }

    private static Received next(String receiverPath) throws InterruptedException {
        Received request = received.get(receiverPath).poll(20, TimeUnit.SECONDS);
        assertThat(request).as("a request to /" + receiverPath).isNotNull();
        return request;
    }

    private static void verifySignature(Received request) {
        long timestamp = Long.parseLong(request.header(WebhookDelivery.TIMESTAMP_HEADER));
        String expected = "sha256=" + hmac(SECRET, (timestamp + ".").getBytes(StandardCharsets.UTF_8), request.body());
        assertThat(request.header(WebhookDelivery.SIGNATURE_HEADER)).isEqualTo(expected);
    }

    /** Computed independently of the code under test, as a receiver would. */
    private static String hmac(String secret, byte[] prefix, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(prefix);
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNewTaskIsPostedSignedWithItsLinkAndTheApproversButNotTheRequester() throws Exception {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        Received request = next("ok");
        verifySignature(request);
        JsonNode body = request.json();
        assertThat(request.header(WebhookDelivery.EVENT_HEADER)).isEqualTo("created");
        assertThat(request.header(WebhookDelivery.DELIVERY_HEADER)).isEqualTo(task.id() + ":created:ok");
        assertThat(body.path("event").asText()).isEqualTo("created");
        assertThat(body.path("task").path("id").asText()).isEqualTo(task.id().toString());
        assertThat(body.path("task").path("name").asText()).isEqualTo("Approve the new service");
        assertThat(body.path("task").path("link").asText()).isEqualTo(UI + "/approvals/" + task.id());
        assertThat(body.path("run").path("link").asText()).isEqualTo(UI + "/runs/" + run.id());
        assertThat(body.path("run").path("requester").asText()).isEqualTo(ALICE.canonical());
        // alice is in payments too, but requested the run (four-eyes)
        assertThat(body.path("recipients").findValuesAsText("ref")).containsExactly(BOB.canonical(), ERIN.canonical());
        // erin has no address: no e-mail for her, but the webhook still names her
        assertThat(body.path("recipients").findValuesAsText("email")).containsExactly("bob@example.com");
        assertThat(body.path("task").has("variables")).as("process variables may hold the run's values").isFalse();
    }

    @Test
    void whoDecidedOneApprovalOfARunIsNotToldOfItsNextOne() throws Exception {
        Run run = start("twice", ALICE);
        ApprovalTask owners = awaitTask(run.id(), "owners");
        assertThat(next("ok").json().path("recipients").findValuesAsText("ref"))
                .containsExactly(BOB.canonical(), ERIN.canonical());

        inbox.decide(owners.id(), BOB, true, null, null);
        ApprovalTask security = awaitTask(run.id(), "security");

        JsonNode body = next("ok").json();
        assertThat(body.path("task").path("id").asText()).isEqualTo(security.id().toString());
        assertThat(body.path("recipients").findValuesAsText("ref")).as("bob decided the owners' approval (separate deciders)")
                .containsExactly(ERIN.canonical());
    }

    @Test
    void aSignatureMadeWithAnotherSecretOrOverAnotherBodyDoesNotVerify() throws Exception {
        start("review", ALICE);
        Received request = next("ok");
        long timestamp = Long.parseLong(request.header(WebhookDelivery.TIMESTAMP_HEADER));
        String signature = request.header(WebhookDelivery.SIGNATURE_HEADER);

        assertThat(signature).isNotEqualTo("sha256=" + hmac("another secret", (timestamp + ".").getBytes(StandardCharsets.UTF_8), request.body()));
        assertThat(signature).isNotEqualTo("sha256=" + hmac(SECRET, ((timestamp - 600) + ".").getBytes(StandardCharsets.UTF_8), request.body()));
        byte[] tampered = new String(request.body(), StandardCharsets.UTF_8).replace("created", "escalated").getBytes(StandardCharsets.UTF_8);
        assertThat(signature).isNotEqualTo("sha256=" + hmac(SECRET, (timestamp + ".").getBytes(StandardCharsets.UTF_8), tampered));
    }

    @Test
    void aReceiverThatFailsIsTriedAgainWithTheSameDelivery() throws Exception {
        Run run = start("flaky", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        Received first = next("flaky");
        Received second = next("flaky");

        assertThat(second.header(WebhookDelivery.DELIVERY_HEADER)).isEqualTo(first.header(WebhookDelivery.DELIVERY_HEADER));
        verifySignature(second);
        assertThat(flakyCalls.get()).isEqualTo(2);
        eventually(() -> notifications.ledger().of(task.id()).stream()
                .anyMatch(entry -> entry.channel().equals("webhook:flaky") && entry.sentAt().isPresent() && entry.attempts() == 2));
    }

    @Test
    void aReceiverThatNeverAnswersHoldsUpNeitherTheInboxNorTheRun() throws Exception {
        Run run = start("dead", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        next("dead");

        inbox.decide(task.id(), BOB, true, "fine", null);
        Run done = portal.await(run.id(), r -> r.status() == RunStatus.COMPLETED);

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(deadWaiting.get()).as("the receiver still holds the notification's request").isEqualTo(1);
        assertThat(notifications.ledger().of(task.id())).singleElement()
                .satisfies(entry -> assertThat(entry.sentAt()).isEmpty());
        // let the notification thread go for the tests after this one
        deadReleased.countDown();
    }

    @Test
    void aReceiverThatRefusesIsNotRetriedAndWhatWentWrongIsRecordedWithoutTheUrlOrTheSecret() throws Exception {
        Run run = start("failing", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        next("refusing");
        eventually(() -> notifications.ledger().of(task.id()).stream().filter(entry -> entry.error().isPresent()).count() == 2);

        assertThat(notifications.ledger().of(task.id())).extracting(NotificationLedger.Entry::channel, NotificationLedger.Entry::attempts)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("webhook:refusing", 1),
                        org.assertj.core.groups.Tuple.tuple("webhook:unreachable", 2));
        assertThat(notifications.ledger().of(task.id())).allSatisfy(entry -> assertThat(entry.error().orElseThrow())
                .doesNotContain(URL_TOKEN, SECRET, Integer.toString(closedPort), Integer.toString(receiver.getAddress().getPort())));
        assertThat(received.get("refusing")).isEmpty();
    }

    @Test
    void aTaskRecordedAgainAfterARestartIsNotAnnouncedAgain() throws Exception {
        Run run = start("review", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        next("ok");

        // a new host process (or this one restarted) hears of the same task again
        try (ApprovalNotifications restarted = notifications(inbox.store(),
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false), Set.of()))) {
            restarted.created(task);
            restarted.escalated(task);
            Received after = next("ok");

            assertThat(after.header(WebhookDelivery.EVENT_HEADER)).as("the created notice was not sent twice").isEqualTo("escalated");
            assertThat(received.get("ok")).isEmpty();
        }
    }

    @Test
    void aTaskHeaderNamesItsWebhooks() throws Exception {
        Run run = start("security", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");

        Received request = next("security");
        verifySignature(request);
        next("ok");
        assertThat(notifications.ledger().of(task.id())).extracting(NotificationLedger.Entry::channel)
                .containsExactlyInAnyOrder("webhook:security", "webhook:ok");
    }

    @Test
    void aTemplateAnnotationTurnsWebhooksOffAndATaskHeaderWinsOverIt() throws Exception {
        Run quiet = start("quiet", ALICE);
        ApprovalTask silent = awaitTask(quiet.id(), "approve");
        Run loud = start("loud", ALICE);
        ApprovalTask heard = awaitTask(loud.id(), "approve");

        Received request = next("security");

        assertThat(request.json().path("task").path("id").asText()).isEqualTo(heard.id().toString());
        assertThat(notifications.ledger().of(silent.id())).isEmpty();
        assertThat(received.get("ok")).isEmpty();
    }

    @Test
    void anEscalationTellsTheApproversItWasTakenAwayAndTheNextGroupThatItWaits() throws Exception {
        Run run = start("escalates", ALICE);
        ApprovalTask team = awaitTask(run.id(), "teamApproval");
        assertThat(next("ok").json().path("task").path("id").asText()).isEqualTo(team.id().toString());

        portal.engine.engine().increaseTime(Duration.ofDays(4));
        ApprovalTask platform = awaitTask(run.id(), "platformApproval");

        List<JsonNode> bodies = new ArrayList<>(List.of(next("ok").json(), next("ok").json()));
        assertThat(bodies).extracting(body -> body.path("event").asText() + " " + body.path("task").path("id").asText())
                .containsExactlyInAnyOrder("created " + platform.id(), "escalated " + team.id());
        JsonNode escalated = bodies.stream().filter(body -> body.path("event").asText().equals("escalated")).findFirst().orElseThrow();
        assertThat(escalated.path("task").path("status").asText()).isEqualTo("escalated");
        JsonNode created = bodies.stream().filter(body -> body.path("event").asText().equals("created")).findFirst().orElseThrow();
        assertThat(created.path("recipients").findValuesAsText("ref")).containsExactly(CAROL.canonical());
        inbox.decide(platform.id(), CAROL, true, null, null);
        portal.await(run.id(), r -> r.status().isFinal());
    }

    @Test
    void anOpenTaskIsRemindedOnceWhenItsDueDateIsNear() throws Exception {
        Run run = start("due", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        assertThat(task.dueDate()).hasValueSatisfying(due -> assertThat(due).isBetween(
                OffsetDateTime.now().plusMinutes(110), OffsetDateTime.now().plusMinutes(130)));
        next("ok");
        // created two days ago: the created notice is long past, the due date (in two hours) is near
        portal.database.dsl().update(APPROVAL_TASKS)
                .set(APPROVAL_TASKS.CREATED_AT, OffsetDateTime.now().minusDays(2))
                .where(APPROVAL_TASKS.ID.eq(task.id())).execute();

        assertThat(notifications.remindDue()).isEqualTo(1);
        assertThat(notifications.remindDue()).isZero();

        Received reminder = next("ok");
        verifySignature(reminder);
        assertThat(reminder.json().path("event").asText()).isEqualTo("due-soon");
        assertThat(reminder.json().path("task").path("dueDate").asText()).isNotEmpty();
        inbox.decide(task.id(), BOB, true, null, null);
    }

    @Test
    void theReminderOfAClaimedTaskGoesToWhoeverClaimedIt() throws Exception {
        Run run = start("due", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        assertThat(next("ok").json().path("recipients").findValuesAsText("ref")).containsExactly(BOB.canonical(), ERIN.canonical());
        portal.database.dsl().update(APPROVAL_TASKS)
                .set(APPROVAL_TASKS.CREATED_AT, OffsetDateTime.now().minusDays(2))
                .where(APPROVAL_TASKS.ID.eq(task.id())).execute();
        inbox.claim(task.id(), ERIN);

        assertThat(notifications.remindDue()).isEqualTo(1);

        Received reminder = next("ok");
        assertThat(reminder.json().path("event").asText()).isEqualTo("due-soon");
        assertThat(reminder.json().path("recipients").findValuesAsText("ref")).containsExactly(ERIN.canonical());
        inbox.decide(task.id(), ERIN, true, null, null);
    }

    @Test
    void aTaskCreatedCloseToItsDueDateGetsNoSeparateReminder() throws Exception {
        Run run = start("due", ALICE);
        ApprovalTask task = awaitTask(run.id(), "approve");
        next("ok");

        assertThat(notifications.remindDue()).isZero();
        assertThat(notifications.ledger().of(task.id())).extracting(NotificationLedger.Entry::event)
                .containsExactlyInAnyOrder("created", "due-soon");
        assertThat(notifications.ledger().of(task.id())).filteredOn(entry -> entry.event().equals("due-soon"))
                .singleElement().satisfies(entry -> assertThat(entry.error()).hasValueSatisfying(error -> assertThat(error).contains("created within")));
        inbox.decide(task.id(), BOB, true, null, null);
    }

    private static void eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
