package dev.portal.sample.durability;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One durability test class's world: a throw-away PostgreSQL database, the Zeebe engine in its own
 * JVM ({@link EngineProcess}), a folder of bare git repositories, a shared workspace folder, and the
 * sample app's host processes on them ({@link HostProcess}), which a test kills and restarts.
 */
final class DurabilityHarness implements AutoCloseable {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    final String name;
    final String database;
    final String jdbcUrl;
    final Path gitRoot;
    final Path workspaceRoot;
    private final EngineProcess engine;
    private final List<String> hostArgs;
    private final List<HostProcess> hosts = new ArrayList<>();
    private CrashPoints points;
    private int started;

    private final boolean crashPoints;

    private DurabilityHarness(String name, List<String> hostArgs, boolean engineProcess, boolean crashPoints) throws IOException {
        this.name = name;
        this.crashPoints = crashPoints;
        this.hostArgs = hostArgs;
        this.database = "portal_durability_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        this.jdbcUrl = SERVER + database;
        Path root = Files.createDirectories(ChildJvm.LOGS.resolve(name));
        this.gitRoot = Files.createDirectories(root.resolve("git-" + database));
        this.workspaceRoot = Files.createDirectories(root.resolve("workspaces-" + database));
        admin("create database " + database);
        this.engine = engineProcess ? EngineProcess.start(name + "-engine") : null;
    }

    /** Database and engine up, no host yet. */
    static DurabilityHarness create(String name, List<String> hostArgs) {
        return create(name, hostArgs, true, true);
    }

    /**
     * @param engineProcess whether the engine runs in its own JVM (else each host has the sample's
     *                      in-JVM engine, so only one host makes sense)
     * @param crashPoints   whether to create the crash points' triggers
     */
    static DurabilityHarness create(String name, List<String> hostArgs, boolean engineProcess, boolean crashPoints) {
        try {
            return new DurabilityHarness(name, hostArgs, engineProcess, crashPoints);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts one more sample app on the database and the engine. */
    HostProcess startHost() {
        return startHost(hostArgs);
    }

    /** Starts one more sample app with these arguments instead of the harness's. */
    HostProcess startHost(List<String> args) {
        HostProcess host = HostProcess.start(name + "-host-" + (++started), new HostProcess.Settings(jdbcUrl,
                engine == null ? null : engine.grpcAddress(), gitRoot, workspaceRoot, args));
        hosts.add(host);
        if (points == null && crashPoints) {
            points = new CrashPoints(jdbcUrl);
            points.install();
        }
        return host;
    }

    CrashPoints points() {
        return points;
    }

    /** The live hosts, oldest first. */
    List<HostProcess> liveHosts() {
        return hosts.stream().filter(HostProcess::isAlive).toList();
    }

    HostProcess host(String name) {
        return hosts.stream().filter(host -> host.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no host " + name));
    }

    /** A live host, started if none is. */
    HostProcess anyHost() {
        List<HostProcess> live = liveHosts();
        return live.isEmpty() ? startHost() : live.getFirst();
    }

    /** A unique service name for one scenario. */
    static String serviceName(String scenario) {
        return scenario + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    // --- waiting for what a user waits for

    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            ChildJvm.sleep(100);
        }
        throw new AssertionError(what + " did not happen within " + timeout
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"), last);
    }

    /** bob's open approval task of the run, as his inbox shows it. */
    static JsonNode awaitApproval(PortalClient client, UUID runId, Duration timeout) {
        try {
            return await("approval of run " + runId + " in bob's inbox", timeout,
                    () -> client.approvalOf(runId).orElse(null));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; run: " + describe(client, runId), e);
        }
    }

    static JsonNode awaitStatus(PortalClient client, UUID runId, String status, Duration timeout) {
        try {
            return await("run " + runId + " " + status, timeout, () -> {
                JsonNode run = client.run(runId);
                return status.equals(PortalClient.runStatus(run)) ? run : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; run: " + describe(client, runId), e);
        }
    }

    static String describe(PortalClient client, UUID runId) {
        try {
            StringBuilder text = new StringBuilder(client.run(runId).toString());
            for (JsonNode event : client.events(runId)) {
                text.append("\n  ").append(PortalClient.kind(event)).append(' ')
                        .append(event.path("body").path("stepId").asText("-")).append(": ")
                        .append(event.path("body").path("message").asText());
            }
            return text.toString();
        } catch (RuntimeException e) {
            return "(cannot read run " + runId + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Approves the run's approval as bob, once it is in his inbox (within a minute: the step before
     * may be held by a killed host until its job timeout ends).
     */
    static void approve(PortalClient client, UUID runId) {
        JsonNode task = awaitApproval(client, runId, Duration.ofSeconds(60));
        PortalClient.Answer answer = client.approve(task.path("id").asText());
        assertThat(answer.status()).as("approve: %s", answer.text()).isEqualTo(200);
    }

    // --- exactly once

    /**
     * The run completed and each side effect happened once: one repository with one commit, one
     * catalog entity made by this run from one location, one decision, one approval task, and
     * one "run completed" in the run's log.
     */
    void assertCreatedOnce(PortalClient client, String service, UUID runId) {
        JsonNode run = client.run(runId);
        assertThat(PortalClient.runStatus(run)).as("run %s", describe(client, runId)).isEqualTo("completed");

        assertThat(commits(service)).as("commits in the repository of %s", service).isEqualTo(1);

        JsonNode component = client.component(service).orElseThrow(() -> new AssertionError("component " + service + " not in the catalog"));
        assertThat(component.path("metadata").path("annotations").path("portal.dev/scaffolder-run-id").asText())
                .as("provenance of %s", service).isEqualTo(runId.toString());
        PortalClient.Answer registered = client.get("alice", "/api/catalog/locations");
        assertThat(registered.status()).as("GET /api/catalog/locations: %s", registered.text()).isEqualTo(200);
        long locations = StreamSupport.stream(registered.body().spliterator(), false)
                .filter(location -> location.path("data").path("target").asText().contains("/" + service + ".git"))
                .count();
        assertThat(locations).as("catalog locations of %s", service).isEqualTo(1);

        JsonNode audit = client.audit(runId);
        assertThat(audit.path("decisions")).as("decisions of run %s: %s", runId, audit).hasSize(1);
        List<String> actions = new ArrayList<>();
        audit.path("entries").forEach(entry -> actions.add(entry.path("action").asText()));
        assertThat(actions).as("audit of run %s", runId).containsOnlyOnce("created", "approved");

        long completed = client.events(runId).stream()
                .filter(event -> PortalClient.kind(event).equals("status")
                        && event.path("body").path("message").asText().equals("run completed"))
                .count();
        assertThat(completed).as("'run completed' events: %s", describe(client, runId)).isEqualTo(1);
        assertThat(client.approvalOf(runId)).as("nothing left in the inbox").isEmpty();
    }

    /** Commits on the repository's branches (0 when it does not exist). */
    int commits(String service) {
        Path repository = gitRoot.resolve(service + ".git");
        if (!Files.isDirectory(repository)) {
            return 0;
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(repository.toFile()).setMustExist(true).build();
             Git git = new Git(repo)) {
            List<Ref> branches = repo.getRefDatabase().getRefsByPrefix("refs/heads/");
            if (branches.isEmpty()) {
                return 0;
            }
            assertThat(branches).as("branches of %s", service).hasSize(1);
            ObjectId head = branches.getFirst().getObjectId();
            int count = 0;
            for (var ignored : git.log().add(head).call()) {
                count++;
            }
            return count;
        } catch (IOException | GitAPIException e) {
            throw new IllegalStateException("cannot read " + repository + ": " + e.getMessage(), e);
        }
    }

    boolean repositoryExists(String service) {
        return Files.exists(gitRoot.resolve(service + ".git"));
    }

    @Override
    public void close() {
        for (HostProcess host : hosts) {
            host.close();
        }
        if (points != null) {
            points.close();
        }
        if (engine != null) {
            engine.close();
        }
        admin("drop database if exists " + database + " with (force)");
    }

    static void admin(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for this test: " + e.getMessage(), e);
        }
    }
}
