package dev.portal.sample.durability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.sample.durability.CrashPoints.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static dev.portal.sample.durability.DurabilityHarness.approve;
import static dev.portal.sample.durability.DurabilityHarness.awaitApproval;
import static dev.portal.sample.durability.DurabilityHarness.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash points of issue 15 that need more than idempotent steps, with the starter's own
 * defaults (no job timeout set here): a run killed between its process instance's creation and
 * the storing of its key completes (runs are identified by their own id, and the first job or the
 * run end attaches the instance), an approval job that reached a killed host before the inbox
 * recorded it is back in the inbox within seconds (the short activation timeout that the inbox
 * renews), and a step held by a killed host is taken over within seconds (short job timeouts kept
 * alive by a heartbeat while the work runs). Each waits a bounded time and fails naming what did
 * not happen; before those changes all three failed (the run stayed {@code running} with every step
 * done, and the approval and the step came back only after 5 minutes).
 */
class CrashTakeoverWithDefaultsTests {

    /** After the new host is up: a few seconds, or the rest of a timeout (activation 10 s). */
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(30);

    /**
     * After the new host is up, a step the dead host held: the rest of the starter's job timeout
     * (30 s, counted from the job's activation before the kill) and the rest of the run.
     */
    private static final Duration TAKEN_OVER = Duration.ofSeconds(50);

    private static DurabilityHarness harness;

    @BeforeAll
    static void start() {
        // the starter's defaults: no job timeout set here
        harness = DurabilityHarness.create("defaults", List.of());
        harness.startHost();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @AfterEach
    void disarm() {
        harness.points().releaseAll();
    }

    /**
     * Killed after the engine created the instance and before Portal stored its key: the request
     * got no answer, yet the run is listed, waits for its approval, and once approved ends
     * {@code completed} with everything once (it used to stay {@code running} for ever: the
     * run-end worker finished only a run whose stored key matched).
     */
    @Test
    void aRunKilledBetweenCreatingItsInstanceAndStoringItsKeyCompletesOnce() {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName("instance");
        harness.points().arm(Point.INSTANCE_CREATED);
        CompletableFuture<PortalClient.Answer> request = CompletableFuture.supplyAsync(() -> host.client().requestService(service));
        harness.points().awaitReached(Point.INSTANCE_CREATED, Duration.ofSeconds(30));
        host.kill();
        harness.points().release(Point.INSTANCE_CREATED);
        assertThat(request).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class);

        HostProcess next = harness.startHost();
        JsonNode listed = next.client().runs().stream()
                .filter(run -> run.path("values").path("name").asText().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError("the run of " + service + " is not listed after the crash"));
        UUID run = UUID.fromString(listed.path("id").asText());
        approve(next.client(), run);
        awaitStatus(next.client(), run, "completed", WITHIN_SECONDS);
        harness.assertCreatedOnce(next.client(), service, run);
    }

    /**
     * Killed after the approval's job reached the host and before the inbox recorded it: the task
     * is back in the inbox within seconds of the new host's start (it used to take the 5-minute
     * activation timeout of ZeebeApprovals).
     */
    @Test
    void anApprovalThatReachedAKilledHostBeforeTheInboxRecordedItIsBackWithinSeconds() {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName("received");
        harness.points().arm(Point.APPROVAL_RECEIVED);
        UUID run = host.client().startService(service);
        harness.points().awaitReached(Point.APPROVAL_RECEIVED, Duration.ofSeconds(30));
        host.kill();
        harness.points().release(Point.APPROVAL_RECEIVED);

        HostProcess next = harness.startHost();
        long up = System.nanoTime();
        JsonNode task = awaitApproval(next.client(), run, WITHIN_SECONDS);
        System.out.printf("durability: approval-received: in the inbox %d ms after the new host is up%n",
                (System.nanoTime() - up) / 1_000_000);
        assertThat(next.client().approve(task.path("id").asText()).status()).isEqualTo(200);
        awaitStatus(next.client(), run, "completed", WITHIN_SECONDS);
        harness.assertCreatedOnce(next.client(), service, run);
    }

    /**
     * The publish step's job is with the killed host: with the starter's default job timeout,
     * the new host takes it over within seconds (it used to take the 5-minute timeout).
     */
    @Test
    void aStepHeldByAKilledHostIsTakenOverWithinSecondsWithTheStartersDefaults() {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName("takeover");
        UUID run = host.client().startService(service);
        String taskId = awaitApproval(host.client(), run, Duration.ofSeconds(30)).path("id").asText();
        harness.points().arm(Point.PUSHING);
        assertThat(host.client().approve(taskId).status()).isEqualTo(200);
        harness.points().awaitReached(Point.PUSHING, Duration.ofSeconds(30));
        host.kill();
        harness.points().release(Point.PUSHING);

        HostProcess next = harness.startHost();
        long up = System.nanoTime();
        awaitStatus(next.client(), run, "completed", TAKEN_OVER);
        System.out.printf("durability: takeover with the starter's defaults: run completed %d ms after the new host is up%n",
                (System.nanoTime() - up) / 1_000_000);
        harness.assertCreatedOnce(next.client(), service, run);
    }
}
