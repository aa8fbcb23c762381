package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.web.CatalogHttp.Answer;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what with which template and run, and secrets kept secret, over real HTTP on real
 * PostgreSQL and the in-JVM engine. alice and bob are team payments, carol is platform (the
 * Scaffolder admins), dave is signed in but in no team; with nested groups on, erin is in
 * payments-oncall (under payments) and frank in finance (above it).
 */
@SpringBootTest(classes = ScaffolderApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ScaffolderPermissionsIntegrationTests {

    private static final Path ROOT = temporaryRoot();
    private static final Path TEMPLATES = ROOT.resolve("templates");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        writeTemplates();
        registry.add("portal.workflows.embedded-engine.enabled", () -> "true");
        registry.add("portal.scaffolder.worker.stream-enabled", () -> "true");
        registry.add("portal.scaffolder.workspace-root", () -> ROOT.resolve("workspaces").toString());
        registry.add("portal.scaffolder.admin-groups", () -> "group:default/platform");
        registry.add("portal.scaffolder.secrets.key", () -> "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        registry.add("portal.catalog.locations[0].target",
                () -> Path.of("src/test/resources/scaffolder/catalog/org.yaml").toAbsolutePath().toString());
        String[] templates = {"secret", "open", "payments-only"};
        for (int i = 0; i < templates.length; i++) {
            String target = TEMPLATES.resolve(templates[i]).resolve("template.yaml").toString();
            registry.add("portal.catalog.locations[" + (i + 1) + "].target", () -> target);
        }
        // erin is in a sub-team of payments, frank in the department above it
        registry.add("portal.catalog.locations[" + (templates.length + 1) + "].target",
                () -> Path.of("src/test/resources/scaffolder/catalog/nested.yaml").toAbsolutePath().toString());
        registry.add("portal.approvals.nested-groups", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    CatalogHttp alice;
    CatalogHttp bob;
    CatalogHttp carol;
    CatalogHttp dave;

    @BeforeAll
    void clients() {
        CatalogHttp anonymous = CatalogHttp.anonymous(port, "/api/scaffolder");
        alice = anonymous.as("alice", ScaffolderApiTestApplication.PASSWORD);
        bob = anonymous.as("bob", ScaffolderApiTestApplication.PASSWORD);
        carol = anonymous.as("carol", ScaffolderApiTestApplication.PASSWORD);
        dave = anonymous.as("dave", ScaffolderApiTestApplication.PASSWORD);
    }

    // --- secrets

    @Test
    void secretValuesReachTheStepsButNeverTheDatabaseTheApiOrTheLog(CapturedOutput output) throws SQLException {
        String token = "tok-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        Answer created = alice.post("/v2/tasks", """
                {"templateRef": "template:default/secret",
                 "values": {"name": "svc", "token": "%s", "database": {"user": "app", "password": "%s"}}}"""
                .formatted(token, password));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String id = created.body().path("id").asText();

        JsonNode task = awaitTask(alice, id, t -> t.path("status").asText().equals("completed"));
        Answer events = alice.get("/v2/tasks/" + id + "/events");

        // the step had the clear values: the log action wrote them, and the log line was redacted
        assertThat(events.body()).anySatisfy(event -> assertThat(event.path("body").path("message").asText())
                .isEqualTo("token ****** for app:******"));
        assertThat(task.path("values").path("name").asText()).isEqualTo("svc");
        assertThat(task.path("values").path("token").asText()).isEqualTo("******");
        assertThat(task.path("values").path("database").path("password").asText()).isEqualTo("******");
        assertThat(task.path("values").path("database").path("user").asText()).isEqualTo("app");

        List<String> answers = List.of(created.raw().body(), alice.get("/v2/tasks/" + id).raw().body(),
                alice.get("/v2/tasks").raw().body(), events.raw().body());
        assertThat(answers).allSatisfy(answer -> assertThat(answer).doesNotContain(token).doesNotContain(password));
        assertThat(rowsContaining(token)).isEmpty();
        assertThat(rowsContaining(password)).isEmpty();
        assertThat(output.getAll()).doesNotContain(token).doesNotContain(password);
    }

    // --- the policy matrix: template x caller x action

    @Test
    void aTemplateThatNamesGroupsIsListedAndStartedOnlyByTheirMembersAndAdmins() {
        Map<String, String> seen = new TreeMap<>();
        for (Map.Entry<String, CatalogHttp> caller : callers().entrySet()) {
            Answer list = caller.getValue().get("/v2/templates");
            assertThat(list.status()).isEqualTo(200);
            String names = list.raw().body();
            seen.put(caller.getKey() + " lists open", String.valueOf(names.contains("template:default/open")));
            seen.put(caller.getKey() + " lists payments-only", String.valueOf(names.contains("template:default/payments-only")));
            seen.put(caller.getKey() + " reads payments-only", String.valueOf(caller.getValue()
                    .get("/v2/templates/default/template/payments-only/parameter-schema").status()));
            seen.put(caller.getKey() + " starts payments-only", String.valueOf(start(caller.getValue(), "payments-only").status()));
            seen.put(caller.getKey() + " starts open", String.valueOf(start(caller.getValue(), "open").status()));
        }

        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("alice lists open", "true"), Map.entry("alice lists payments-only", "true"),
                Map.entry("alice reads payments-only", "200"), Map.entry("alice starts payments-only", "201"),
                Map.entry("alice starts open", "201"),
                Map.entry("bob lists open", "true"), Map.entry("bob lists payments-only", "true"),
                Map.entry("bob reads payments-only", "200"), Map.entry("bob starts payments-only", "201"),
                Map.entry("bob starts open", "201"),
                Map.entry("carol lists open", "true"), Map.entry("carol lists payments-only", "true"),
                Map.entry("carol reads payments-only", "200"), Map.entry("carol starts payments-only", "201"),
                Map.entry("carol starts open", "201"),
                Map.entry("dave lists open", "true"), Map.entry("dave lists payments-only", "false"),
                Map.entry("dave reads payments-only", "403"), Map.entry("dave starts payments-only", "403"),
                Map.entry("dave starts open", "201")));
    }

    @Test
    void aRunIsReadByItsRequesterTheirTeamAndAdminsAndCancelledOrRetriedOnlyByTheRequesterAndAdmins() {
        String id = start(alice, "open").body().path("id").asText();
        Map<String, String> seen = new TreeMap<>();
        for (Map.Entry<String, CatalogHttp> caller : callers().entrySet()) {
            CatalogHttp as = caller.getValue();
            String who = caller.getKey();
            seen.put(who + " reads run", String.valueOf(as.get("/v2/tasks/" + id).status()));
            seen.put(who + " reads events", String.valueOf(as.get("/v2/tasks/" + id + "/events").status()));
            seen.put(who + " lists run", String.valueOf(as.get("/v2/tasks").raw().body().contains(id)));
            // the run is running: a caller who may retry hears 409 (nothing failed), one who may not 403
            seen.put(who + " retries", String.valueOf(as.post("/v2/tasks/" + id + "/retry", "").status()));
        }
        seen.put("bob cancels", String.valueOf(bob.post("/v2/tasks/" + id + "/cancel", "").status()));
        seen.put("dave cancels", String.valueOf(dave.post("/v2/tasks/" + id + "/cancel", "").status()));
        seen.put("carol cancels", String.valueOf(carol.post("/v2/tasks/" + id + "/cancel", "").status()));

        assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("alice reads run", "200"), Map.entry("alice reads events", "200"), Map.entry("alice lists run", "true"), Map.entry("alice retries", "409"),
                Map.entry("bob reads run", "200"), Map.entry("bob reads events", "200"), Map.entry("bob lists run", "true"), Map.entry("bob retries", "403"),
                Map.entry("carol reads run", "200"), Map.entry("carol reads events", "200"), Map.entry("carol lists run", "true"), Map.entry("carol retries", "409"),
                Map.entry("dave reads run", "403"), Map.entry("dave reads events", "403"), Map.entry("dave lists run", "false"), Map.entry("dave retries", "403"),
                Map.entry("bob cancels", "403"), Map.entry("dave cancels", "403"), Map.entry("carol cancels", "200")));
    }

    @Test
    void aRunsValuesAreInvisibleToAStrangerOnEveryRoute() throws Exception {
        String marker = "private-" + UUID.randomUUID();
        String id = alice.post("/v2/tasks", """
                {"templateRef": "template:default/open", "values": {"name": "%s"}}""".formatted(marker))
                .body().path("id").asText();

        assertThat(alice.get("/v2/tasks/" + id).raw().body()).contains(marker);
        List<Answer> strangers = List.of(dave.get("/v2/tasks/" + id), dave.get("/v2/tasks"),
                dave.get("/v2/tasks?createdBy=user:default/alice"), dave.get("/v2/tasks/" + id + "/events"),
                dave.get("/v2/tasks/" + id + "/events?after=1000"));
        assertThat(strangers).allSatisfy(answer -> assertThat(answer.raw().body()).doesNotContain(marker));
        assertThat(strangers).extracting(Answer::status).containsExactly(403, 200, 200, 403, 403);
        assertThat(status(dave.request("/v2/tasks/" + id + "/eventstream").header("Accept", "text/event-stream")))
                .isEqualTo(403);
        // the web UI's run page and its live events follow the same rule
        assertThat(status(dave.rebased("/portal").request("/runs/" + id).header("Accept", "text/html"))).isEqualTo(403);
        assertThat(status(dave.rebased("/portal").request("/runs/" + id + "/events").header("Accept", "text/event-stream")))
                .isEqualTo(403);
        assertThat(status(alice.rebased("/portal").request("/runs/" + id).header("Accept", "text/html"))).isEqualTo(200);
    }

    @Test
    void withNestedGroupsARunIsReadByTheRequestersSubTeamsButNotByTheGroupsAboveThem() {
        CatalogHttp erin = alice.as("erin", ScaffolderApiTestApplication.PASSWORD);
        CatalogHttp frank = alice.as("frank", ScaffolderApiTestApplication.PASSWORD);
        String id = start(alice, "open").body().path("id").asText();

        assertThat(erin.get("/v2/tasks/" + id).status()).as("payments-oncall is a sub-team of payments").isEqualTo(200);
        assertThat(erin.get("/v2/tasks").raw().body()).contains(id);
        assertThat(frank.get("/v2/tasks/" + id).status()).as("finance is above payments: not alice's team").isEqualTo(403);
        assertThat(frank.get("/v2/tasks").raw().body()).doesNotContain(id);
        assertThat(frank.post("/v2/tasks/" + id + "/cancel", "").status()).isEqualTo(403);
        assertThat(erin.post("/v2/tasks/" + id + "/cancel", "").status()).as("cancelling is the requester's").isEqualTo(403);
    }

    @Test
    void aStrangersRunIsNotReadByTeamsTheyShareNothingWith() {
        String id = start(dave, "open").body().path("id").asText();

        assertThat(alice.get("/v2/tasks/" + id).status()).isEqualTo(403);
        assertThat(carol.get("/v2/tasks/" + id).status()).as("admin").isEqualTo(200);
        assertThat(dave.get("/v2/tasks/" + id).status()).isEqualTo(200);
    }

    @Test
    void anAnonymousCallerIsAskedToSignInForRunsAndSeesNoRestrictedTemplate() {
        String id = start(alice, "open").body().path("id").asText();
        CatalogHttp anonymous = CatalogHttp.anonymous(port, "/api/scaffolder");

        assertThat(anonymous.get("/v2/tasks/" + id).status()).isEqualTo(401);
        assertThat(anonymous.post("/v2/tasks/" + id + "/cancel", "").status()).isEqualTo(401);
        assertThat(start(anonymous, "open").status()).isEqualTo(401);
        Answer templates = anonymous.get("/v2/templates");
        if (templates.status() == 200) {
            assertThat(templates.raw().body()).doesNotContain("template:default/payments-only");
        }
    }

    private static int status(java.net.http.HttpRequest.Builder request) throws Exception {
        return java.net.http.HttpClient.newHttpClient()
                .send(request.GET().build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private Map<String, CatalogHttp> callers() {
        Map<String, CatalogHttp> callers = new LinkedHashMap<>();
        callers.put("alice", alice);
        callers.put("bob", bob);
        callers.put("carol", carol);
        callers.put("dave", dave);
        return callers;
    }

    private static Answer start(CatalogHttp as, String template) {
        return as.post("/v2/tasks", """
                {"templateRef": "template:default/%s", "values": {"name": "x"}}""".formatted(template));
    }

    // --- helpers

    /** Every row of every table of the test database whose text holds {@code text}, as "schema.table". */
    private List<String> rowsContaining(String text) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.createStatement().executeQuery("""
                    select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables
                    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).as("the scan sees Portal's tables").anyMatch(table -> table.endsWith(".scaffolder_runs"));
            for (String table : tables) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from " + table + " t where t::text like ?")) {
                    statement.setString(1, "%" + text + "%");
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            found.add(table);
                        }
                    }
                }
            }
        }
        return found;
    }

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
            return Files.createTempDirectory("portal-permissions");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTemplates() {
        try {
            template("secret", "secret", "", """
                        - properties:
                            name: {type: string}
                            token: {type: string, format: password}
                        - properties:
                            database:
                              type: object
                              properties:
                                user: {type: string}
                                password: {type: string, "ui:field": Secret}
                    """);
            bpmn("secret", "secret", Bpmn.createExecutableProcess("secret")
                    .startEvent()
                    .serviceTask("announce", task -> task.zeebeJobType("portal.log")
                            .zeebeInputExpression("\"token \" + values.token + \" for \" + values.database.user + \":\""
                                    + " + values.database.password", "message"))
                    .endEvent()
                    .done());
            for (String name : List.of("open", "payments-only")) {
                template(name, "waits", name.equals("payments-only")
                        ? "annotations: {portal.dev/scaffolder-allowed-groups: \"payments\"}" : "", """
                            - properties:
                                name: {type: string}
                        """);
                bpmn(name, "waits", Bpmn.createExecutableProcess("waits")
                        .startEvent().intermediateCatchEvent("tomorrow", event -> event.timerWithDuration("P1D"))
                        .endEvent().done());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void template(String name, String processId, String metadata, String parameters) throws IOException {
        Path folder = Files.createDirectories(TEMPLATES.resolve(name));
        Files.writeString(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: %s
                %s
                spec:
                  owner: group:default/platform
                  type: service
                  parameters:
                %s
                  workflow:
                    processId: %s
                    resource: %s.bpmn
                """.formatted(name, metadata.indent(2).stripTrailing(), parameters.stripTrailing(), processId, processId));
    }

    private static void bpmn(String folder, String processId, BpmnModelInstance model) throws IOException {
        Files.writeString(TEMPLATES.resolve(folder).resolve(processId + ".bpmn"), Bpmn.convertToString(model));
    }
}
