package dev.portal.sample.durability;

import dev.portal.sample.durability.CrashPoints.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.portal.sample.durability.DurabilityHarness.approve;
import static dev.portal.sample.durability.DurabilityHarness.awaitApproval;
import static dev.portal.sample.durability.DurabilityHarness.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sample apps on one PostgreSQL database and one engine (in its own JVM): they share the runs
 * (Zeebe hands each job to one of them, the inbox and the runs are in the database), nothing is
 * done twice, and nothing is lost when one of them is killed in the middle of a run. Jobs the
 * killed host held come back after {@code portal.scaffolder.worker.timeout}, 10 s here.
 */
class ScaleOutTests {

    private static final Duration CONVERGES = Duration.ofSeconds(60);

    private static DurabilityHarness harness;

    @BeforeAll
    static void start() {
        harness = DurabilityHarness.create("scale", List.of("--portal.scaffolder.worker.timeout=10s"));
        harness.startHost();
        harness.startHost();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @BeforeEach
    void twoHosts() {
        while (harness.liveHosts().size() < 2) {
            harness.startHost();
        }
    }

    @AfterEach
    void disarm() {
        harness.points().releaseAll();
    }

    @Test
    void twoHostsShareTheRunsAndDoNothingTwice() {
        HostProcess a = harness.liveHosts().get(0);
        HostProcess b = harness.liveHosts().get(1);
        Map<String, UUID> runs = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            HostProcess requestedOn = i % 2 == 0 ? a : b;
            String service = DurabilityHarness.serviceName("shared" + i);
            runs.put(service, requestedOn.client().startService(service));
        }
        int i = 0;
        for (UUID run : runs.values()) {
            // decided on the other host than the one the run was requested on
            approve((i++ % 2 == 0 ? b : a).client(), run);
        }
        for (Map.Entry<String, UUID> run : runs.entrySet()) {
            awaitStatus(a.client(), run.getValue(), "completed", CONVERGES);
            harness.assertCreatedOnce(b.client(), run.getKey(), run.getValue());
        }
        System.out.printf("durability: scale-out: approval tasks taken into the inbox by %s: %d, by %s: %d%n",
                a.name(), tasksCreatedBy(a, runs.values()), b.name(), tasksCreatedBy(b, runs.values()));
    }

    @Test
    void killingOneOfTwoHostsMidRunLosesNothing() {
        HostProcess a = harness.liveHosts().get(0);
        HostProcess b = harness.liveHosts().get(1);
        String first = DurabilityHarness.serviceName("midrun");
        String second = DurabilityHarness.serviceName("waiting");
        UUID pushing = a.client().startService(first);
        UUID waiting = b.client().startService(second);
        String pushingTask = awaitApproval(a.client(), pushing, Duration.ofSeconds(30)).path("id").asText();
        awaitApproval(a.client(), waiting, Duration.ofSeconds(30));

        harness.points().arm(Point.PUSHING);
        assertThat(b.client().approve(pushingTask).status()).isEqualTo(200);
        HostProcess held = harness.host(harness.points().awaitReached(Point.PUSHING, Duration.ofSeconds(30)));
        HostProcess survivor = held == a ? b : a;
        long killed = System.nanoTime();
        held.kill();
        harness.points().release(Point.PUSHING);

        // the survivor alone: the run the dead host was publishing, and the one waiting for approval
        approve(survivor.client(), waiting);
        awaitStatus(survivor.client(), pushing, "completed", CONVERGES);
        System.out.printf("durability: scale-out: %s killed while pushing, %s completed the run %d ms later%n",
                held.name(), survivor.name(), (System.nanoTime() - killed) / 1_000_000);
        awaitStatus(survivor.client(), waiting, "completed", CONVERGES);
        harness.assertCreatedOnce(survivor.client(), first, pushing);
        harness.assertCreatedOnce(survivor.client(), second, waiting);
    }

    @Test
    void anEventStreamOnOneHostGetsEveryEventTheOtherHostWrote() throws Exception {
        HostProcess a = harness.liveHosts().get(0);
        HostProcess b = harness.liveHosts().get(1);
        String service = DurabilityHarness.serviceName("stream");
        UUID run = a.client().startService(service);
        String taskId = awaitApproval(a.client(), run, Duration.ofSeconds(30)).path("id").asText();

        List<long[]> received = new ArrayList<>();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> b.client().stream("alice", run, (id, at) -> {
            synchronized (received) {
                received.add(new long[] {id, at});
            }
        }));
        ChildJvm.sleep(500);
        long approved = System.nanoTime();
        assertThat(a.client().approve(taskId).status()).isEqualTo(200);
        awaitStatus(a.client(), run, "completed", CONVERGES);
        stream.get(30, java.util.concurrent.TimeUnit.SECONDS);

        List<Long> listed = a.client().events(run).stream().map(event -> event.path("id").asLong()).toList();
        List<Long> streamed;
        synchronized (received) {
            streamed = received.stream().map(event -> event[0]).toList();
        }
        assertThat(streamed).as("the stream on %s against the list on %s", b.name(), a.name()).isEqualTo(listed);
        long firstAfterApproval;
        synchronized (received) {
            firstAfterApproval = received.stream().mapToLong(event -> event[1]).filter(at -> at > approved).min().orElse(approved);
        }
        System.out.printf("durability: scale-out: first event after a decision on %s reached a stream on %s in %d ms%n",
                a.name(), b.name(), (firstAfterApproval - approved) / 1_000_000);
    }

    /** How many of the runs' approval tasks the host's LoggingApprovalListener logged as needed. */
    private static long tasksCreatedBy(HostProcess host, java.util.Collection<UUID> runs) {
        try {
            List<String> lines = Files.readAllLines(ChildJvm.log(host.name()));
            return runs.stream().filter(run -> lines.stream().anyMatch(line -> line.contains("Approval needed")
                    && line.contains(run.toString()))).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
