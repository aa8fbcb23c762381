package dev.portal.sample.durability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sample app as it ships ({@code SampleApplication}, its application.yaml) in a child JVM, on
 * the test's database and the engine in its own process ({@code portal.workflows.embedded-engine}
 * off, the Camunda client on the engine's gRPC address), on a free port. Its PostgreSQL sessions
 * carry its name as {@code application_name}, so a test sees which host a blocked statement
 * belongs to. Its log is {@code target/durability/<name>.log}.
 */
final class HostProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final PortalClient client;
    private final Duration startUp;

    private HostProcess(String name, Process process, int port, Duration startUp) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.startUp = startUp;
        this.client = new PortalClient("http://127.0.0.1:" + port);
    }

    /**
     * How the hosts of one test are configured: database, engine (null: the sample's own in-JVM
     * engine), git and workspace folders.
     */
    record Settings(String jdbcUrl, String grpcAddress, Path gitRoot, Path workspaceRoot, List<String> extraArgs) {
    }

    static HostProcess start(String name, Settings settings) {
        int port = ChildJvm.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + settings.jdbcUrl(),
                "--spring.datasource.hikari.data-source-properties.ApplicationName=" + name,
                "--portal.scaffolder.git.url-pattern=file://" + settings.gitRoot().toAbsolutePath() + "/{name}.git",
                "--portal.scaffolder.workspace-root=" + settings.workspaceRoot()));
        if (settings.grpcAddress() != null) {
            args.addAll(List.of(
                    "--portal.workflows.embedded-engine.enabled=false",
                    "--camunda.client.grpc-address=" + settings.grpcAddress(),
                    "--camunda.client.prefer-rest-over-grpc=false",
                    // the engine in its own process has no REST API either: nothing must answer there
                    "--camunda.client.rest-address=http://127.0.0.1:1"));
        }
        args.addAll(settings.extraArgs());
        long started = System.nanoTime();
        Process process = ChildJvm.start(name, List.of("-Xmx640m", "-Dportal.durability.host=" + name),
                "dev.portal.sample.SampleApplication", args);
        try {
            ChildJvm.awaitPort(process, port, Duration.ofSeconds(120), name + " (log: " + ChildJvm.log(name) + ")");
            new PortalClient("http://127.0.0.1:" + port).awaitTemplate("create-service", Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not come up; see " + ChildJvm.log(name) + ": " + e.getMessage(), e);
        }
        return new HostProcess(name, process, port, Duration.ofNanos(System.nanoTime() - started));
    }

    int port() {
        return port;
    }

    String name() {
        return name;
    }

    PortalClient client() {
        return client;
    }

    /** From starting the JVM until the API offered the standard templates. */
    Duration startUp() {
        return startUp;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no graceful close of workers, pools or streams. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ", log " + ChildJvm.log(name) + ")";
    }
}
