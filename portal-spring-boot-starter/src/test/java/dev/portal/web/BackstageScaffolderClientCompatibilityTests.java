package dev.portal.web;

import com.sun.net.httpserver.HttpServer;
import dev.portal.catalog.testing.NodeHarness;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Backstage's official, unmodified {@code ScaffolderClient} from
 * {@code @backstage/plugin-scaffolder-common} 2.4.0 (the harness {@code src/test/node/scaffolder-client.test.mjs})
 * against the Scaffolder API on a random port, with the in-JVM engine and real PostgreSQL: create
 * a run, follow its event stream to completion while an approver approves through Portal's own
 * approvals API, long-poll, cancel, retry, dry-run, list, parameter schema. Needs Node 20+ and npm
 * (see {@link NodeHarness}).
 *
 * <p>A small HTTP server on this machine lets the harness switch the host action {@code test.flaky}
 * from failing to passing, so that it can retry a failed run to completion.
 */
@SpringBootTest(classes = ScaffolderApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackstageScaffolderClientCompatibilityTests {

    private static final NodeHarness NODE = new NodeHarness("src/test/node",
            List.of("@backstage/plugin-scaffolder-common", "@backstage/catalog-client"));

    private static final Path ROOT = temporaryRoot();
    private static final Path TEMPLATES = ROOT.resolve("templates");
    private static final Path REMOTES = ROOT.resolve("remotes");

    private static HttpServer control;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        writeTemplates();
        registry.add("portal.workflows.embedded-engine.enabled", () -> "true");
        registry.add("portal.scaffolder.worker.stream-enabled", () -> "true");
        registry.add("portal.scaffolder.git.url-pattern", () -> REMOTES.toUri().toString().replace("file:/", "file:///") + "{name}.git");
        registry.add("portal.scaffolder.workspace-root", () -> ROOT.resolve("workspaces").toString());
        registry.add("portal.scaffolder.worker.retry-backoff", () -> "50ms");
        registry.add("portal.scaffolder.admin-groups", () -> "group:default/platform");
        registry.add("portal.catalog.allowed-hosts", () -> "git.example.com");
        registry.add("portal.catalog.locations[0].target", () -> Path.of("src/test/resources/scaffolder/catalog/org.yaml").toAbsolutePath().toString());
        String[] templates = {"service", "approval", "waits", "flaky"};
        for (int i = 0; i < templates.length; i++) {
            String target = TEMPLATES.resolve(templates[i]).resolve("template.yaml").toString();
            registry.add("portal.catalog.locations[" + (i + 1) + "].target", () -> target);
        }
    }

    @LocalServerPort
    int port;

    @BeforeAll
    static void letTheHarnessSwitchTheFlakyAction() throws IOException {
        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        control.createContext("/flaky/", exchange -> {
            ScaffolderApiTestApplication.FLAKY_FAILS.set(exchange.getRequestURI().getPath().endsWith("/fails"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        control.start();
    }

    @AfterAll
    static void stopControl() {
        control.stop(0);
        ScaffolderApiTestApplication.FLAKY_FAILS.set(false);
    }

    @Test
    void officialScaffolderClientPassesEveryCheckOfTheHarness() throws Exception {
        NODE.install();
        int exit = NODE.run(List.of("node", "--test", "scaffolder-client.test.mjs"), Map.of(
                        "PORTAL_BASE_URL", "http://127.0.0.1:" + port,
                        "PORTAL_PASSWORD", ScaffolderApiTestApplication.PASSWORD,
                        "PORTAL_CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort()),
                120);
        assertThat(exit).as("exit code of node --test scaffolder-client.test.mjs (its output is in the test log)").isZero();
    }

    // --- fixtures: the service template from src/test/resources plus small ones written here

    private static Path temporaryRoot() {
        try {
            return Files.createTempDirectory("portal-scaffolder-compat-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTemplates() {
        try {
            Files.createDirectories(REMOTES);
            copy(Path.of("src/test/resources/scaffolder/service-template"), TEMPLATES.resolve("service"));
            bpmn("service", "test-service", Bpmn.createExecutableProcess("test-service")
                    .startEvent()
                    .serviceTask("fetch", task -> task.name("Fetch the skeleton").zeebeJobType("portal.fetch-template"))
                    .serviceTask("publish", task -> task.name("Publish").zeebeJobType("portal.publish-git")
                            .zeebeInputExpression("values.name", "repoName"))
                    .serviceTask("register", task -> task.name("Register").zeebeJobType("portal.catalog-register"))
                    .serviceTask("announce", task -> task.zeebeJobType("portal.log")
                            .zeebeInputExpression("\"Created \" + entityRef", "message"))
                    .endEvent()
                    .done());
            template("approval", "approval");
            bpmn("approval", "approval", Bpmn.createExecutableProcess("approval")
                    .startEvent()
                    .userTask("review", task -> task.name("Review the request").zeebeCandidateGroups("payments"))
                    .serviceTask("announce", task -> task.name("Announce").zeebeJobType("portal.log")
                            .zeebeInputExpression("\"approved by \" + approver", "message"))
                    .endEvent()
                    .done());
            template("waits", "waits");
            bpmn("waits", "waits", Bpmn.createExecutableProcess("waits")
                    .startEvent().intermediateCatchEvent("tomorrow", event -> event.timerWithDuration("P1D")).endEvent().done());
            template("flaky", "flaky");
            bpmn("flaky", "flaky", Bpmn.createExecutableProcess("flaky")
                    .startEvent().serviceTask("deploy", task -> task.name("Deploy").zeebeJobType("test.flaky").zeebeJobRetries("1"))
                    .endEvent().done());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void template(String name, String processId) throws IOException {
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
                    - title: Details
                      properties:
                        placeholder: {type: string}
                  workflow:
                    processId: %s
                    resource: %s.bpmn
                """.formatted(name, processId, processId));
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
