package dev.portal.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the official, unmodified {@code @backstage/catalog-client} 1.16.2 (the harness in
 * {@code src/test/node}) against the catalog API on a random port, behind HTTP Basic, with the
 * fixture folder as the only allowed file root. Needs Node 20+ and npm; {@code node_modules} is
 * installed with {@code npm ci} once and kept (git-ignored) for later runs.
 */
@SpringBootTest(classes = CatalogApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackstageCatalogClientCompatibilityTests {

    private static final Path HARNESS = Path.of("src/test/node").toAbsolutePath();
    private static final Path FIXTURE = Path.of("src/test/resources/compat/catalog-info.yaml").toAbsolutePath();

    @LocalServerPort
    int port;

    @Test
    void officialCatalogClientPassesEveryCheckOfTheHarness() throws Exception {
        requireTool("node");
        requireTool("npm");
        if (!Files.isRegularFile(HARNESS.resolve("node_modules/@backstage/catalog-client/package.json"))) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 180))
                    .as("npm ci in %s", HARNESS).isZero();
        }
        int exit = run(List.of("node", "--test", "catalog-client.test.mjs"), Map.of(
                "PORTAL_BASE_URL", "http://127.0.0.1:" + port + "/api/catalog",
                "PORTAL_FIXTURE_FILE", FIXTURE.toString(),
                "PORTAL_BASIC_AUTH", CatalogApiTestApplication.USER + ":" + CatalogApiTestApplication.PASSWORD,
                "PORTAL_WAIT_MS", "20000"), 100);
        assertThat(exit).as("exit code of node --test catalog-client.test.mjs (its output is in the test log)").isZero();
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("'" + tool + " --version' did not succeed; the compatibility test needs Node 20+ and npm on the PATH");
            }
        } catch (IOException e) {
            fail("'" + tool + "' is not on the PATH; the compatibility test needs Node 20+ and npm (" + e.getMessage() + ")");
        }
    }

    /** Runs a command in the harness folder, streaming its output into the test log. */
    private static int run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(HARNESS.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                out.lines().forEach(line -> System.out.println("[" + command.getFirst() + "] " + line));
            } catch (IOException e) {
                System.out.println("[" + command.getFirst() + "] output lost: " + e.getMessage());
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        pump.join(5000);
        return process.exitValue();
    }
}
