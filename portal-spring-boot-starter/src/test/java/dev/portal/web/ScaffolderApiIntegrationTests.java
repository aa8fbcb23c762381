package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.scaffolder.run.Provenance;
import dev.portal.web.CatalogHttp.Answer;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Scaffolder over real HTTP: templates from the catalog run end to end on the in-JVM engine
 * with the real actions, publishing to bare git repositories on disk and registering the result
 * in the catalog, on real PostgreSQL.
 */
@SpringBootTest(classes = ScaffolderApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScaffolderApiIntegrationTests {

    private static final Path ROOT = temporaryRoot();
    private static final Path TEMPLATES = ROOT.resolve("templates");
    private static final Path REMOTES = ROOT.resolve("remotes");
    private static final Path WORKSPACES = ROOT.resolve("workspaces");
    /** Where signed-in users may register their own catalog files. */
    private static final Path USER_FILES = ROOT.resolve("user-files");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        writeTemplates();
        registry.add("portal.workflows.embedded-engine.enabled", () -> "true");
        registry.add("portal.scaffolder.worker.stream-enabled", () -> "true");
        registry.add("portal.scaffolder.git.url-pattern", () -> REMOTES.toUri().toString().replace("file:/", "file:///") + "{name}.git");
        registry.add("portal.scaffolder.workspace-root", WORKSPACES::toString);
        registry.add("portal.scaffolder.admin-groups", () -> "group:default/platform");
        registry.add("portal.scaffolder.worker.retry-backoff", () -> "50ms");
        registry.add("portal.catalog.locations[0].target", () -> Path.of("src/test/resources/scaffolder/catalog/org.yaml").toAbsolutePath().toString());
        registry.add("portal.catalog.allowed-file-roots", USER_FILES::toString);
        registry.add("portal.catalog.allowed-hosts", () -> "git.example.com");
        String[] templates = {"service", "flaky", "waits", "hostile-code", "hostile-include", "hostile-path", "approval",
                "undeployed", "broken"};
        for (int i = 0; i < templates.length; i++) {
            int index = i + 1;
            String target = TEMPLATES.resolve(templates[i]).resolve("template.yaml").toString();
            registry.add("portal.catalog.locations[" + index + "].target", () -> target);
        }
    }

    @LocalServerPort
    int port;

    CatalogHttp anonymous;
    CatalogHttp alice;
    CatalogHttp bob;
    CatalogHttp carol;
    CatalogHttp dave;

    @BeforeAll
    void clients() {
        anonymous = CatalogHttp.anonymous(port, "/api/scaffolder");
        alice = anonymous.as("alice", ScaffolderApiTestApplication.PASSWORD);
        bob = anonymous.as("bob", ScaffolderApiTestApplication.PASSWORD);
        carol = anonymous.as("carol", ScaffolderApiTestApplication.PASSWORD);
        dave = anonymous.as("dave", ScaffolderApiTestApplication.PASSWORD);
    }

    // --- the whole way: validate, render, publish, register, complete

    @Test
    void aRunRendersPublishesAndRegistersTheNewServiceAndCompletesWithLinks() throws Exception {
        Answer created = alice.post("/v2/tasks", """
                {"templateRef": "template:default/test-service",
                 "values": {"name": "billing-api", "owner": "payments"}}""");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String id = created.body().path("id").asText();

        JsonNode task = awaitTask(alice, id, t -> t.path("status").asText().equals("completed"));

        assertThat(task.path("createdBy").asText()).isEqualTo("user:default/alice");
        assertThat(task.path("values").path("description").asText()).as("default applied").isEqualTo("A new service");
        assertThat(task.path("steps")).extracting(step -> step.path("id").asText() + ":" + step.path("status").asText())
                .containsExactly("fetch:completed", "publish:completed", "register:completed", "announce:completed");
        assertThat(task.path("output").path("values").path("entityRef").asText()).isEqualTo("component:default/billing-api");
        assertThat(task.path("output").path("links")).extracting(link -> link.path("title").asText())
                .containsExactly("Repository", "Open in catalog");

        try (Repository repository = new FileRepositoryBuilder().setGitDir(REMOTES.resolve("billing-api.git").toFile()).build()) {
            var head = repository.resolve("refs/heads/main");
            RevCommit commit = repository.parseCommit(head);
            assertThat(commit.getFullMessage()).contains("Portal-Run: " + id);
            assertThat(read(repository, commit, "README.md")).startsWith("# billing-api\n\nA new service, owned by payments.");
            assertThat(read(repository, commit, "src/main/java/billing-api/App.java")).contains("package billingapi;");
            assertThat(readBytes(repository, commit, "logo.png"))
                    .isEqualTo(Files.readAllBytes(Path.of("src/test/resources/scaffolder/service-template/skeleton/logo.png")));
            assertThat(read(repository, commit, "catalog-info.yaml")).contains(Provenance.RUN_ID + ": " + id)
                    .contains(Provenance.TEMPLATE + ": template:default/test-service");
        }

        Answer component = CatalogHttp.anonymous(port).get("/entities/by-name/component/default/billing-api");
        assertThat(component.status()).isEqualTo(200);
        assertThat(component.body().path("relations")).anySatisfy(relation -> {
            assertThat(relation.path("type").asText()).isEqualTo("ownedBy");
            assertThat(relation.path("targetRef").asText()).isEqualTo("group:default/payments");
        });
        assertThat(component.body().path("metadata").path("annotations").path(Provenance.RUN_ID).asText()).isEqualTo(id);

        Answer provenance = bob.get("/v2/provenance/component/default/billing-api");
        assertThat(provenance.status()).isEqualTo(200);
        assertThat(provenance.body().path("runId").asText()).isEqualTo(id);
        assertThat(provenance.body().path("requester").asText()).isEqualTo("user:default/alice");
        assertThat(provenance.body().path("values").path("name").asText()).isEqualTo("billing-api");
        assertThat(provenance.body().path("templateVersion").asText()).matches(".+@\\d+");
        // who may read no run learns nothing of the catalog from it, not even which entities exist
        assertThat(anonymous.get("/v2/provenance/component/default/billing-api").status()).isEqualTo(401);
        assertThat(anonymous.get("/v2/provenance/component/default/no-such-component").status()).isEqualTo(401);

        // The entity's page in the web UI says the same: run, template, requester.
        String page = page("/portal/catalog/default/component/billing-api", "bob");
        assertThat(page).contains("Where it came from",
                "Created by run <a class=\"code\" href=\"/portal/runs/" + id + "\"><code>" + id + "</code></a>",
                "href=\"/portal/catalog/default/template/test-service\"", "href=\"/portal/catalog/default/user/alice\"");
        assertThat(page("/portal/catalog/default/component/billing-api", null))
                .contains("Created by a Scaffolder run. Sign in").doesNotContain(id);
    }

    /** A web UI page's HTML, as {@code user} (HTTP Basic, password demo) or anonymously. */
    private String page(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + ScaffolderApiTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void theEventLogListsEveryStepInOrderAndTheStreamDeliversTheSameEvents() throws Exception {
        String id = alice.post("/v2/tasks", """
                {"templateRef": "test-service", "values": {"name": "ledger", "owner": "payments"}}""").body().path("id").asText();

        List<String> streamed = stream(id);

        Answer events = alice.get("/v2/tasks/" + id + "/events");
        assertThat(events.status()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        events.body().forEach(event -> listed.add(event.path("id").asText() + " " + event.path("type").asText()));
        assertThat(streamed).as("the stream ends when the run completes, with every event").isEqualTo(listed);
        List<String> messages = new ArrayList<>();
        events.body().forEach(event -> messages.add(event.path("body").path("message").asText()));
        assertThat(messages).containsSubsequence("fetch (portal.fetch-template) started", "fetch completed",
                "publish (portal.publish-git) started", "publish completed", "register (portal.catalog-register) started",
                "register completed", "Created component:default/ledger", "run completed");
        long third = events.body().get(2).path("id").asLong();
        assertThat(alice.get("/v2/tasks/" + id + "/events?after=" + third).body().get(0).path("id").asLong())
                .isGreaterThan(third);
    }

    @Test
    void everyStreamPathResumesExactlyAfterTheLastEventIdOfAReconnectingClient() throws Exception {
        String id = alice.post("/v2/tasks", """
                {"templateRef": "test-service", "values": {"name": "resumed", "owner": "payments"}}""").body().path("id").asText();
        awaitTask(alice, id, task -> "completed".equals(task.path("status").asText()));
        List<String> listed = new ArrayList<>();
        alice.get("/v2/tasks/" + id + "/events").body().forEach(event -> listed.add(event.path("id").asText() + " " + event.path("type").asText()));
        String third = listed.get(2).split(" ")[0];

        assertThat(stream(id, "eventstream", third)).as("/eventstream with Last-Event-ID").isEqualTo(listed.subList(3, listed.size()));
        assertThat(stream(id, "events", third)).as("/events with Last-Event-ID").isEqualTo(listed.subList(3, listed.size()));
    }

    // --- bad requests

    @Test
    void refusesValuesThatBreakTheSchemaNamingTheField() {
        Answer answer = alice.post("/v2/tasks", """
                {"templateRef": "template:default/test-service", "values": {"name": "Billing API!", "owner": "sales"}}""");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorName()).isEqualTo("InputError");
        assertThat(answer.errorMessage()).contains("values.name").contains("values.owner");
        assertThat(alice.get("/v2/tasks?createdBy=user:default/alice").body().path("tasks"))
                .noneSatisfy(task -> assertThat(task.path("values").path("name").asText()).isEqualTo("Billing API!"));
    }

    @Test
    void refusesARequesterFilterWithAControlCharacterNamingIt() {
        Answer answer = alice.get("/v2/tasks?createdBy=user:default/al%00ice");

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
        assertThat(answer.errorName()).isEqualTo("InputError");
        assertThat(answer.errorMessage()).contains("entity ref", "U+0000");
    }

    @Test
    void answersUnknownTemplatesAndRunsWith404() {
        assertThat(alice.post("/v2/tasks", "{\"templateRef\": \"template:default/nope\", \"values\": {}}").status()).isEqualTo(404);
        assertThat(alice.get("/v2/tasks/4a1d54a6-3c87-4bb8-9d4e-0d5d3c8a11aa").errorName()).isEqualTo("NotFoundError");
    }

    @Test
    void aStartTheEngineRefusesNamesTheFailedRunItLeft() {
        Answer refused = alice.post("/v2/tasks", "{\"templateRef\": \"template:default/undeployed\", \"values\": {}}");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
        assertThat(refused.errorMessage()).contains("has no process 'undeployed'");
        String runId = refused.body().path("error").path("taskId").asText();
        Answer run = alice.get("/v2/tasks/" + runId);
        assertThat(run.body().path("status").asText()).isEqualTo("failed");
        assertThat(run.body().path("failedStep").asText()).isEqualTo("start");
        assertThat(run.body().path("finishedAt").isTextual()).isTrue();
    }

    @Test
    void aTemplateWithABrokenBpmnIsListedWithItsProblemFromItsRegistration() {
        JsonNode items = anonymous.get("/v2/templates").body().path("items");

        assertThat(items).filteredOn(t -> t.path("ref").asText().equals("template:default/broken")).singleElement()
                .satisfies(t -> assertThat(t.path("problem").asText()).contains("uses job type 'portal.publsh-git'"));
        assertThat(items).filteredOn(t -> t.path("ref").asText().equals("template:default/test-service")).singleElement()
                .satisfies(t -> assertThat(t.has("problem")).isFalse());
    }

    @Test
    void startingARunNeedsAnAuthenticatedCaller() {
        Answer answer = anonymous.post("/v2/tasks", "{\"templateRef\": \"test-service\", \"values\": {}}");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorName()).isEqualTo("AuthenticationError");
    }

    @Test
    void listsTemplatesAndActions() {
        Answer templates = anonymous.get("/v2/templates");
        assertThat(templates.status()).isEqualTo(200);
        assertThat(templates.body().path("items")).extracting(t -> t.path("ref").asText())
                .contains("template:default/test-service");
        Answer schema = anonymous.get("/v2/templates/default/template/test-service/parameter-schema");
        assertThat(schema.body().path("steps").get(0).path("schema").path("required")).extracting(JsonNode::asText)
                .containsExactly("name", "owner");
        assertThat(anonymous.get("/v2/actions").body()).extracting(action -> action.path("id").asText())
                .contains("portal.fetch-template", "portal.publish-git", "portal.catalog-register",
                        "portal.openapi-generate", "portal.log", "test.flaky");
        Answer elementTemplate = anonymous.get("/v2/actions/portal.publish-git/element-template");
        assertThat(elementTemplate.status()).isEqualTo(200);
        assertThat(elementTemplate.body().path("$schema").asText()).contains("zeebe-element-templates-json-schema");
        assertThat(elementTemplate.body().path("properties")).anySatisfy(property ->
                assertThat(property.path("binding").path("name").asText()).isEqualTo("repoName"));
        assertThat(anonymous.get("/v2/actions/no.such/element-template").status()).isEqualTo(404);
    }

    // --- failure, retry, cancel

    @Test
    void aFailingStepFailsTheRunAndItsRequesterRetriesItToCompletion() {
        ScaffolderApiTestApplication.FLAKY_FAILS.set(true);
        String id = alice.post("/v2/tasks", "{\"templateRef\": \"flaky\", \"values\": {}}").body().path("id").asText();

        JsonNode failed = awaitTask(alice, id, t -> t.path("status").asText().equals("failed"));
        assertThat(failed.path("failedStep").asText()).isEqualTo("deploy");
        assertThat(failed.path("error").asText()).contains("the deployment API answered 502 Bad Gateway");

        Answer byBob = bob.post("/v2/tasks/" + id + "/retry", "");
        assertThat(byBob.status()).isEqualTo(403);
        assertThat(byBob.errorMessage()).contains("user:default/bob may not task.retry");

        ScaffolderApiTestApplication.FLAKY_FAILS.set(false);
        Answer retried = awaitIncidentThenRetry(alice, id);
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(200);
        JsonNode done = awaitTask(alice, id, t -> t.path("status").asText().equals("completed"));
        assertThat(done.path("steps").get(0).path("attempt").asInt()).isEqualTo(3);
    }

    @Test
    void onlyTheRequesterOrAnAdminCancelsARunAndTheProcessStops() {
        String id = alice.post("/v2/tasks", "{\"templateRef\": \"waits\", \"values\": {}}").body().path("id").asText();

        assertThat(bob.post("/v2/tasks/" + id + "/cancel", "").status()).isEqualTo(403);
        assertThat(dave.post("/v2/tasks/" + id + "/cancel", "").status()).isEqualTo(403);
        Answer cancelled = carol.post("/v2/tasks/" + id + "/cancel", "");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asText()).isEqualTo("cancelled");
        assertThat(carol.post("/v2/tasks/" + id + "/cancel", "").status()).isEqualTo(409);
        assertThat(alice.get("/v2/tasks?status=cancelled").body().path("tasks"))
                .anySatisfy(task -> assertThat(task.path("id").asText()).isEqualTo(id));
    }

    // --- dry run and hostile templates

    @Test
    void aDryRunReturnsTheRenderedFilesAndPublishesNothing() throws IOException {
        Answer answer = alice.post("/v2/dry-run", """
                {"templateRef": "test-service", "values": {"name": "dry-service", "owner": "platform"}}""");

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        assertThat(answer.body().path("files")).extracting(file -> file.path("path").asText())
                .contains("README.md", "catalog-info.yaml", "logo.png", "src/main/java/dry-service/App.java");
        assertThat(answer.body().path("files")).filteredOn(file -> file.path("path").asText().equals("README.md"))
                .singleElement().satisfies(file -> assertThat(file.path("content").asText()).startsWith("# dry-service"));
        assertThat(answer.body().path("files")).filteredOn(file -> file.path("path").asText().equals("logo.png"))
                .singleElement().satisfies(file -> {
                    assertThat(file.path("base64").asBoolean()).isTrue();
                    assertThat(Base64.getDecoder().decode(file.path("content").asText()))
                            .isEqualTo(Files.readAllBytes(Path.of("src/test/resources/scaffolder/service-template/skeleton/logo.png")));
                });
        assertThat(REMOTES.resolve("dry-service.git")).doesNotExist();
        try (Stream<Path> left = Files.list(WORKSPACES)) {
            assertThat(left.filter(path -> path.getFileName().toString().startsWith("dry-run"))).isEmpty();
        }
    }

    @Test
    void refusesATemplateThatReachesForClassesOrFilesOrLeavesTheWorkspace() {
        Answer code = alice.post("/v2/dry-run", "{\"templateRef\": \"hostile-code\", \"values\": {}}");
        Answer include = alice.post("/v2/dry-run", "{\"templateRef\": \"hostile-include\", \"values\": {}}");
        Answer path = alice.post("/v2/dry-run", "{\"templateRef\": \"hostile-path\", \"values\": {\"path\": \"../../../escaped\"}}");

        assertThat(code.status()).as(code.raw().body()).isEqualTo(400);
        assertThat(code.errorMessage()).contains("evil.txt");
        assertThat(include.status()).as(include.raw().body()).isEqualTo(400);
        assertThat(include.errorMessage()).contains("include");
        assertThat(path.status()).as(path.raw().body()).isEqualTo(400);
        assertThat(path.errorMessage()).contains("escaped");
        assertThat(ROOT.resolve("escaped")).doesNotExist();
        assertThat(ROOT.getParent().resolve("escaped")).doesNotExist();
        assertThat(WORKSPACES.getParent().resolve("escaped")).doesNotExist();
    }

    // --- approvals

    private String openApproval(String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode task : approvals(bob).get("/tasks").body().path("tasks")) {
                if (task.path("runId").asText().equals(runId)) {
                    return task.path("id").asText();
                }
            }
            sleep(20);
        }
        throw new AssertionError("no approval task for run " + runId + " in bob's inbox");
    }

    private CatalogHttp approvals(CatalogHttp as) {
        return as.rebased("/api/approvals");
    }

    @Test
    void anApproverFromTheCandidateGroupApprovesOverRestAndTheRunGoesOn() {
        String runId = alice.post("/v2/tasks", "{\"templateRef\": \"approval\", \"values\": {}}").body().path("id").asText();
        String taskId = openApproval(runId);
        JsonNode waiting = awaitTask(alice, runId, t -> t.path("runStatus").asText().equals("waiting-for-approval"));
        assertThat(waiting.path("waitingAt")).singleElement().satisfies(pending -> {
            assertThat(pending.path("taskId").asText()).isEqualTo(taskId);
            assertThat(pending.path("step").asText()).isEqualTo("review");
        });

        assertThat(approvals(alice).get("/tasks").body().path("tasks")).noneSatisfy(task ->
                assertThat(task.path("id").asText()).isEqualTo(taskId));
        Answer byRequester = approvals(alice).post("/tasks/" + taskId + "/approve", "{\"comment\": \"mine\"}");
        assertThat(byRequester.status()).isEqualTo(403);
        assertThat(byRequester.errorMessage()).startsWith("four-eyes");
        assertThat(approvals(carol).post("/tasks/" + taskId + "/approve", "{}").status()).isEqualTo(403);
        assertThat(approvals(dave).post("/tasks/" + taskId + "/approve", "{}").status()).isEqualTo(403);
        assertThat(approvals(anonymous).post("/tasks/" + taskId + "/approve", "{}").status()).isEqualTo(401);

        Answer withNul = approvals(bob).post("/tasks/" + taskId + "/approve", "{\"comment\": \"ship\\u0000it\"}");
        assertThat(withNul.status()).as(withNul.raw().body()).isEqualTo(400);
        assertThat(withNul.errorMessage()).contains("comment", "U+0000");

        Answer approved = approvals(bob).post("/tasks/" + taskId + "/approve", "{\"comment\": \"ship it\"}");

        assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
        assertThat(approved.body().path("approver").asText()).isEqualTo("user:default/bob");
        assertThat(approved.body().path("applied").asBoolean()).isTrue();
        awaitTask(alice, runId, t -> t.path("status").asText().equals("completed"));
        assertThat(approvals(bob).post("/tasks/" + taskId + "/reject", "{}").status()).isEqualTo(409);
        JsonNode audit = approvals(alice).get("/runs/" + runId + "/audit").body();
        assertThat(audit.path("entries")).extracting(entry -> entry.path("action").asText() + " " + entry.path("actor").asText())
                .containsExactly("created portal", "approved user:default/bob");
        assertThat(audit.path("decisions").get(0).path("comment").asText()).isEqualTo("ship it");
        assertThat(audit.path("decisions").get(0).path("taskId").asText()).isEqualTo(taskId);
        assertThat(audit.path("entries")).allSatisfy(entry -> assertThat(entry.path("taskId").asText()).isEqualTo(taskId));
    }

    @Test
    void anApprovalTaskIsNamedByItsOwnIdAndCarriesTheEnginesJobKeyBesideIt() {
        String runId = alice.post("/v2/tasks", "{\"templateRef\": \"approval\", \"values\": {}}").body().path("id").asText();
        String taskId = openApproval(runId);

        JsonNode task = approvals(bob).get("/tasks/" + taskId).body();

        assertThat(java.util.UUID.fromString(taskId).toString()).isEqualTo(taskId);
        assertThat(task.path("id").asText()).isEqualTo(taskId);
        assertThat(task.path("jobKey").asText()).matches("[0-9]+");
        Answer byJobKey = approvals(bob).get("/tasks/" + task.path("jobKey").asText());
        assertThat(byJobKey.status()).isEqualTo(404);
        assertThat(byJobKey.errorMessage()).contains("no approval task " + task.path("jobKey").asText());
        assertThat(approvals(bob).post("/tasks/" + taskId + "/approve", "{}").status()).isEqualTo(200);
    }

    @Test
    void aRejectionEndsTheRunAsRejected() {
        String runId = alice.post("/v2/tasks", "{\"templateRef\": \"approval\", \"values\": {}}").body().path("id").asText();
        String taskId = openApproval(runId);

        assertThat(approvals(bob).post("/tasks/" + taskId + "/reject", "{\"comment\": \"not now\"}").status()).isEqualTo(200);

        JsonNode run = awaitTask(alice, runId, t -> t.path("runStatus").asText().equals("rejected"));
        assertThat(run.path("steps")).isEmpty();
    }

    @Test
    void twentyConcurrentDecisionsOverRestApplyExactlyOne() throws Exception {
        String runId = alice.post("/v2/tasks", "{\"templateRef\": \"approval\", \"values\": {}}").body().path("id").asText();
        String taskId = openApproval(runId);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String verb = i % 2 == 0 ? "approve" : "reject";
            statuses.add(pool.submit(() -> {
                go.await();
                return approvals(bob).post("/tasks/" + taskId + "/" + verb, "{}").status();
            }));
        }
        go.countDown();
        List<Integer> answered = new ArrayList<>();
        for (var status : statuses) {
            answered.add(status.get());
        }
        pool.shutdown();

        assertThat(answered).filteredOn(status -> status == 200).hasSize(1);
        assertThat(answered).filteredOn(status -> status == 409).hasSize(19);
        assertThat(approvals(alice).get("/runs/" + runId + "/audit").body().path("decisions")).hasSize(1);
        awaitTask(alice, runId, t -> List.of("completed", "rejected").contains(t.path("runStatus").asText()));
    }

    @Test
    void aClaimedTaskBelongsToItsHolder() {
        String runId = alice.post("/v2/tasks", "{\"templateRef\": \"approval\", \"values\": {}}").body().path("id").asText();
        String taskId = openApproval(runId);

        assertThat(approvals(dave).post("/tasks/" + taskId + "/claim", "{}").status()).isEqualTo(403);
        assertThat(approvals(bob).post("/tasks/" + taskId + "/claim", "{}").body().path("claimedBy").asText())
                .isEqualTo("user:default/bob");
        assertThat(approvals(alice).post("/tasks/" + taskId + "/unclaim", "{}").status()).isEqualTo(403);
        assertThat(approvals(carol).get("/admin/tasks").body().path("tasks")).anySatisfy(task ->
                assertThat(task.path("id").asText()).isEqualTo(taskId));
        assertThat(approvals(bob).get("/admin/tasks").status()).isEqualTo(403);
        assertThat(approvals(bob).post("/tasks/" + taskId + "/approve", "{}").status()).isEqualTo(200);
    }

    // --- who may do what: trusted sources, configuration, cross-site requests

    @Test
    void aSignedInUserCannotWriteThemselvesIntoAnApprovingGroup() throws IOException {
        CatalogHttp catalogAsAlice = alice.rebased("/api/catalog");
        String orgId = idOfLocation(catalogAsAlice, "org.yaml");

        Answer deleteConfigured = catalogAsAlice.delete("/locations/" + orgId);
        assertThat(deleteConfigured.status()).isEqualTo(403);
        assertThat(deleteConfigured.errorMessage()).contains("comes from the application's configuration");

        Path evil = Files.writeString(Files.createDirectories(USER_FILES).resolve("evil.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: alice}
                spec: {memberOf: [platform]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: mallory}
                spec: {memberOf: [platform]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: evil-svc}
                spec: {type: service, lifecycle: production, owner: payments}
                """);
        Answer registered = catalogAsAlice.post("/locations", "{\"type\":\"file\",\"target\":\"" + evil + "\"}");
        assertThat(registered.status()).as(registered.raw().body()).isEqualTo(201);

        Answer aliceEntity = catalogAsAlice.get("/entities/by-name/user/default/alice");
        assertThat(aliceEntity.body().path("relations")).extracting(r -> r.path("type").asText() + " " + r.path("targetRef").asText())
                .contains("memberOf group:default/payments").doesNotContain("memberOf group:default/platform");
        assertThat(catalogAsAlice.get("/entities/by-name/user/default/mallory").status()).isEqualTo(404);
        assertThat(catalogAsAlice.get("/entities/by-name/component/default/evil-svc").status()).isEqualTo(200);
        assertThat(approvals(alice).get("/admin/tasks").status()).isEqualTo(403);

        // her own registration she may remove; what it provided stays hers as an orphan
        String evilId = idOfLocation(catalogAsAlice, "evil.yaml");
        assertThat(catalogAsAlice.delete("/locations/" + evilId).status()).isEqualTo(204);
        Path takeover = Files.writeString(USER_FILES.resolve("takeover.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: evil-svc}
                spec: {type: service, lifecycle: production, owner: platform}
                """);
        assertThat(bob.rebased("/api/catalog").post("/locations", "{\"type\":\"file\",\"target\":\"" + takeover + "\"}")
                .status()).isEqualTo(201);
        JsonNode kept = catalogAsAlice.get("/entities/by-name/component/default/evil-svc").body();
        assertThat(kept.path("spec").path("owner").asText()).isEqualTo("payments");
        assertThat(kept.path("metadata").path("annotations").path("backstage.io/orphan").asText()).isEqualTo("true");
    }

    @Test
    void aLocationTargetWithAPasswordIsRefusedAndNeverShown() {
        CatalogHttp catalogAsAlice = alice.rebased("/api/catalog");

        Answer refused = catalogAsAlice.post("/locations", """
                {"type": "url", "target": "https://bot:s3cr3t@git.example.com/org/repo.git/-/blob/main/catalog-info.yaml"}""");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorName()).isEqualTo("InputError");
        assertThat(refused.errorMessage()).contains("carries a password").doesNotContain("s3cr3t");
        assertThat(CatalogHttp.anonymous(port).get("/locations").raw().body()).doesNotContain("s3cr3t");
    }

    @Test
    void aPostWithoutAJsonContentTypeIsRefusedBeforeItChangesAnything() throws Exception {
        String runId = alice.post("/v2/tasks", "{\"templateRef\": \"approval\", \"values\": {}}").body().path("id").asText();
        String taskId = openApproval(runId);
        String base = "http://127.0.0.1:" + port;
        List<String> forged = List.of("/api/approvals/tasks/" + taskId + "/claim", "/api/approvals/tasks/" + taskId + "/approve",
                "/api/approvals/tasks/" + taskId + "/reject", "/api/scaffolder/v2/tasks/" + runId + "/cancel",
                "/api/catalog/refresh");
        for (String path : forged) {
            for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bob:demo".getBytes(StandardCharsets.UTF_8)))
                        .POST(type == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("comment=forged"));
                if (type != null) {
                    request.header("Content-Type", type);
                }
                Answer answer = anonymous.send(request);
                assertThat(answer.status()).as(path + " with " + type).isEqualTo(415);
                assertThat(answer.errorName()).isEqualTo("UnsupportedMediaTypeError");
                assertThat(answer.errorMessage()).contains("needs Content-Type: application/json");
            }
        }

        JsonNode task = approvals(bob).get("/tasks/" + taskId).body();
        assertThat(task.path("status").asText()).isEqualTo("open");
        assertThat(task.has("claimedBy")).isFalse();
        assertThat(alice.get("/v2/tasks/" + runId).body().path("runStatus").asText()).isEqualTo("waiting-for-approval");
        assertThat(approvals(bob).post("/tasks/" + taskId + "/claim", "").status()).as("JSON type, empty body").isEqualTo(200);
    }

    @Test
    void unknownPathsMethodsAndRefusedUrlsUnderThePortalApisGetBackstagesErrorBody() throws Exception {
        Answer unknown = anonymous.get("/v2/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorName()).isEqualTo("NotFoundError");

        Answer wrongMethod = approvals(bob).send("DELETE", "/tasks", HttpRequest.BodyPublishers.noBody());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.errorName()).isEqualTo("MethodNotAllowedError");

        for (String path : List.of("/api/scaffolder/v2/tasks/%252F", "/api/catalog/entities/..;/locations")) {
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(path).isEqualTo(400);
            assertThat(refused.body()).as(path).contains("\"name\":\"InputError\"", "The request was refused");
            assertThat(refused.headers().firstValue("Set-Cookie")).as(path).isEmpty();
        }
    }

    private static String idOfLocation(CatalogHttp catalog, String fileName) {
        for (JsonNode location : catalog.get("/locations").body()) {
            if (location.path("data").path("target").asText().endsWith("/" + fileName)) {
                return location.path("data").path("id").asText();
            }
        }
        throw new AssertionError("no location for " + fileName);
    }

    // --- helpers

    private JsonNode awaitTask(CatalogHttp as, String id, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode task = as.get("/v2/tasks/" + id).body();
        while (!condition.test(task) && System.nanoTime() < deadline) {
            sleep(25);
            task = as.get("/v2/tasks/" + id).body();
        }
        assertThat(condition.test(task)).as("run %s: %s; events %s", id, task, as.get("/v2/tasks/" + id + "/events").body()).isTrue();
        return task;
    }

    private Answer awaitIncidentThenRetry(CatalogHttp as, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Answer answer = as.post("/v2/tasks/" + id + "/retry", "");
        while (answer.status() == 409 && System.nanoTime() < deadline) {
            sleep(50);
            answer = as.post("/v2/tasks/" + id + "/retry", "");
        }
        return answer;
    }

    private List<String> stream(String id) throws Exception {
        return stream(id, "events", null);
    }

    /** The events a stream sends, from {@code /events} or {@code /eventstream}, as a reconnecting client with {@code lastEventId}. */
    private List<String> stream(String id, String path, String lastEventId) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/scaffolder/v2/tasks/" + id + "/" + path));
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpRequest request = builder
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:demo".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            String eventId = null;
            String name = null;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("id:")) {
                    eventId = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.isEmpty() && eventId != null) {
                    events.add(eventId + " " + name);
                    eventId = null;
                }
            }
        }
        return events;
    }

    private static String read(Repository repository, RevCommit commit, String path) throws IOException {
        return new String(readBytes(repository, commit, path), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            assertThat(walk).as(path + " in the published commit").isNotNull();
            return repository.open(walk.getObjectId(0)).getBytes();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path temporaryRoot() {
        try {
            return Files.createTempDirectory("portal-scaffolder-api-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- fixtures: the service template from src/test/resources plus small ones written here

    private static void writeTemplates() {
        try {
            Files.createDirectories(REMOTES);
            copy(Path.of("src/test/resources/scaffolder/service-template"), TEMPLATES.resolve("service"));
            bpmn("service", "test-service", Bpmn.createExecutableProcess("test-service")
                    .startEvent()
                    .serviceTask("fetch", task -> task.zeebeJobType("portal.fetch-template"))
                    .serviceTask("publish", task -> task.zeebeJobType("portal.publish-git")
                            .zeebeInputExpression("values.name", "repoName"))
                    .serviceTask("register", task -> task.zeebeJobType("portal.catalog-register"))
                    .serviceTask("announce", task -> task.zeebeJobType("portal.log")
                            .zeebeInputExpression("\"Created \" + entityRef", "message"))
                    .endEvent()
                    .done());
            template("flaky", "flaky", null, "");
            bpmn("flaky", "flaky", Bpmn.createExecutableProcess("flaky")
                    .startEvent().serviceTask("deploy", task -> task.zeebeJobType("test.flaky").zeebeJobRetries("2"))
                    .endEvent().done());
            template("waits", "waits", null, "");
            bpmn("waits", "waits", Bpmn.createExecutableProcess("waits")
                    .startEvent().intermediateCatchEvent("tomorrow", event -> event.timerWithDuration("P1D")).endEvent().done());
            template("approval", "approval", null, "");
            bpmn("approval", "approval", Bpmn.createExecutableProcess("approval")
                    .startEvent()
                    .userTask("review", task -> task.zeebeCandidateGroups("payments"))
                    .exclusiveGateway("decided")
                    .condition("=approved")
                    .serviceTask("announce", task -> task.zeebeJobType("portal.log")
                            .zeebeInputExpression("\"approved by \" + approver", "message"))
                    .endEvent("created")
                    .moveToLastExclusiveGateway()
                    .defaultFlow()
                    .scriptTask("markRejected", task -> task.zeebeExpression("\"rejected\"").zeebeResultVariable("portalOutcome"))
                    .endEvent("refused")
                    .done());
            // names no BPMN resource, and nobody deployed its process
            Files.createDirectories(TEMPLATES.resolve("undeployed"));
            Files.writeString(TEMPLATES.resolve("undeployed").resolve("template.yaml"), """
                    apiVersion: scaffolder.backstage.io/v1beta3
                    kind: Template
                    metadata: {name: undeployed}
                    spec: {owner: group:default/platform, type: service, workflow: {processId: undeployed}}
                    """);
            template("broken", "broken", null, "");
            bpmn("broken", "broken", Bpmn.createExecutableProcess("broken")
                    .startEvent().serviceTask("publish", task -> task.zeebeJobType("portal.publsh-git")).endEvent().done());
            hostile("hostile-code", "evil.txt", "#set($c = $values.getClass().forName('java.lang.Runtime'))$c");
            hostile("hostile-include", "evil.txt", "#include(\"/etc/passwd\")");
            hostile("hostile-path", "${values.path}.txt", "hello");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void hostile(String name, String file, String content) throws IOException {
        template(name, "waits", "./skeleton", "        path: {type: string}\n");
        Path skeleton = Files.createDirectories(TEMPLATES.resolve(name).resolve("skeleton"));
        Files.writeString(skeleton.resolve(file), content);
        bpmn(name, "waits", Bpmn.createExecutableProcess("waits")
                .startEvent().intermediateCatchEvent("tomorrow", event -> event.timerWithDuration("P1D")).endEvent().done());
    }

    private static void template(String name, String processId, String skeleton, String properties) throws IOException {
        Path folder = Files.createDirectories(TEMPLATES.resolve(name));
        Files.writeString(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: %s
                spec:
                  owner: group:default/platform
                  type: service
                  parameters:
                    - properties:
                        placeholder: {type: string}
                %s  workflow:
                    processId: %s
                    resource: %s.bpmn
                %s""".formatted(name, properties, processId, processId,
                skeleton == null ? "" : "  skeleton: " + skeleton + "\n"));
    }

    private static void bpmn(String folder, String processId, BpmnModelInstance model) throws IOException {
        Files.writeString(TEMPLATES.resolve(folder).resolve(processId + ".bpmn"), Bpmn.convertToString(model));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
