package dev.portal.catalog.testing;

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
 * A Node.js harness of a module's tests: a folder with a {@code package.json} and lock file naming
 * the official npm packages the tests run or read (Backstage's catalog client, Camunda's element
 * template schema). Needs Node 20+ and npm; {@code node_modules} is installed with {@code npm ci}
 * when a package is missing and kept (git-ignored) for later runs.
 */
public final class NodeHarness {

    private final Path directory;
    private final List<String> packages;

    /**
     * @param directory the harness folder, relative to the module (e.g. {@code src/test/node})
     * @param packages  the packages that must be installed
     */
    public NodeHarness(String directory, List<String> packages) {
        this.directory = Path.of(directory).toAbsolutePath();
        this.packages = List.copyOf(packages);
    }

    /** Makes sure every package of the harness is installed. */
    public synchronized void install() throws Exception {
        requireTool("node");
        requireTool("npm");
        boolean complete = packages.stream()
                .allMatch(name -> Files.isRegularFile(directory.resolve("node_modules").resolve(name).resolve("package.json")));
        if (!complete) {
            assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 180))
                    .as("npm ci in %s", directory).isZero();
        }
    }

    /** A file inside an installed package. */
    public Path file(String packageName, String path) throws Exception {
        install();
        return directory.resolve("node_modules").resolve(packageName).resolve(path);
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
    public int run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
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
