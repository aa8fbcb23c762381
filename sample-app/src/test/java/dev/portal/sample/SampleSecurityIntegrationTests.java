package dev.portal.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's security over real HTTP: catalog reads are open, writes need one of the demo users,
 * and 401s carry Backstage's error body. Runs on its own throw-away database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleSecurityIntegrationTests {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "portal_sample_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        admin("create database " + DATABASE);
        registry.add("spring.datasource.url", () -> SERVER + DATABASE);
    }

    @AfterAll
    static void dropDatabase() {
        // The context (and its pool) is still cached here; force closes its connections.
        admin("drop database if exists " + DATABASE + " with (force)");
    }

    @LocalServerPort
    int port;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void letsAnonymousCallersRead() throws Exception {
        HttpResponse<String> response = send("GET", "/api/catalog/entities/by-name/user/default/alice", null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"alice\"");
    }

    @Test
    void answersAnonymousWritesWithAuthenticationError() throws Exception {
        HttpResponse<String> response = send("POST", "/api/catalog/refresh", null, "{\"entityRef\":\"user:default/alice\"}");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"name\":\"AuthenticationError\"", "\"statusCode\":401");
    }

    @Test
    void answersWrongPasswordsWithTheBackstageBody() throws Exception {
        HttpResponse<String> response = send("GET", "/api/catalog/entities", "alice:wrong", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"name\":\"AuthenticationError\"");
    }

    @Test
    void letsTheDemoUsersWrite() throws Exception {
        for (String user : new String[] {"alice", "bob", "carol"}) {
            HttpResponse<String> response = send("POST", "/api/catalog/refresh", user + ":" + SecurityConfiguration.DEMO_PASSWORD,
                    "{\"entityRef\":\"user:default/" + user + "\"}");
            assertThat(response.statusCode()).as(user).isEqualTo(200);
        }
    }

    @Test
    void keepsSpringBootDefaultsOutsideTheApiAndThePortal() throws Exception {
        assertThat(send("GET", "/", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void servesThePortalsPagesToAnonymousVisitorsWithASignInLink() throws Exception {
        HttpResponse<String> home = send("GET", "/portal", null, null);
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("href=\"/login\"", "Welcome to Portal");
    }

    @Test
    void signsInWithTheFormAndTheSignedInUserIsInThePortal() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        String login = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login);
        assertThat(token.find()).as(login).isTrue();
        assertThat(login).contains("<strong>alice</strong>", "<strong>bob</strong>", "<strong>carol</strong>",
                "the password <code>demo</code>");

        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=" + SecurityConfiguration.DEMO_PASSWORD
                        + "&_csrf=" + java.net.URLEncoder.encode(token.group(1), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/portal"));

        String home = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/portal")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(home).contains("Welcome, Alice Developer", "action=\"/logout\"");

        HttpResponse<String> wrong = browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login?error"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.body()).contains("do not match");
    }

    @Test
    void anApproverGetsTheFormTheApprovalTaskLinksAndTheRequesterMayNotDecide() throws Exception {
        String demo = ":" + SecurityConfiguration.DEMO_PASSWORD;
        HttpResponse<String> started = send("POST", "/api/scaffolder/v2/tasks", "alice" + demo, """
                {"templateRef": "template:default/create-service",
                 "values": {"name": "form-check", "owner": "payments", "javaPackage": "com.acme.form"}}""");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String runId = JSON.readTree(started.body()).path("id").asText();
        String taskId = null;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (taskId == null && System.nanoTime() < deadline) {
            for (var task : JSON.readTree(send("GET", "/api/approvals/tasks", "bob" + demo, null).body()).path("tasks")) {
                if (task.path("runId").asText().equals(runId)) {
                    taskId = task.path("id").asText();
                }
            }
            Thread.sleep(50);
        }
        assertThat(taskId).as("bob's inbox has the task").isNotNull();

        HttpResponse<String> form = send("GET", "/api/approvals/tasks/" + taskId + "/form", "bob" + demo, null);
        HttpResponse<String> selfApproval = send("POST", "/api/approvals/tasks/" + taskId + "/approve", "alice" + demo, "{}");

        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(JSON.readTree(form.body()).path("formId").asText()).isEqualTo("portal-approval");
        assertThat(JSON.readTree(form.body()).path("schema").path("components").toString()).contains("approvalConditions");
        assertThat(selfApproval.statusCode()).isEqualTo(403);
        assertThat(selfApproval.body()).contains("four-eyes");
        assertThat(send("POST", "/api/scaffolder/v2/tasks/" + runId + "/cancel", "alice" + demo, null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String credentials, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("The sample tests need PostgreSQL at 127.0.0.1:5432: " + e.getMessage(), e);
        }
    }
}
