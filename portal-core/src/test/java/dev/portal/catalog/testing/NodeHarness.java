package dev.portal.web;

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
 * The Node.js harness in {@code src/test/node}: the official npm packages the tests run or read.
 * Needs Node 20+ and npm; {@code node_modules} is installed with {@code npm ci} when a package is
 * missing and kept (git-ignored) for later runs.
 */
final class NodeHarness {

    static final Path DIRECTORY = Path.of("src/test/node").toAbsolutePath();

    private static final List<String> PACKAGES = List.of("@backstage/catalog-client",
            "@camunda/zeebe-element-templates-json-schema");

    private NodeHarness() {
    }

    /** Makes sure every package of the harness is installed. */
    static synchronized void install() throws Exception {
        requireTool("node");
        requireTool("npm");
        boolean complete = PACKAGES.stream()
                .allMatch(name -> Files.isRegularFile(DIRECTORY.resolve("node_modules").resolve(name).resolve("package.json")));
        if (!complete) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 180))
                    .as("npm ci in %s", DIRECTORY).isZero();
        }
    }

    /** A file inside an installed package. */
    static Path file(String packageName, String path) throws Exception {
        install();
        return DIRECTORY.resolve("node_modules").resolve(packageName).resolve(path);
    }

    private static void requireTool(String tool) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("'" + tool + " --version' did not succeed; the Node harness needs Node 20+ and npm on the PATH");
            }
        } catch (IOException e) {
            fail("'" + tool + "' is not on the PATH; the Node harness needs Node 20+ and npm (" + e.getMessage() + ")");
        }
    }

    /** Runs a command in the harness folder, streaming its output into the test log. */
    static int run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true);
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
