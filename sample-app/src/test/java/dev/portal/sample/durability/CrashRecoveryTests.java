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
 * {@code kill -9} of the sample app at each instant of a create-service run (the standard
 * template: check, approval, render, publish to a bare git repository, register, announce), then a
 * new host on the same database and engine: the run reaches the end its process says, and every
 * side effect happened once. The engine runs in its own JVM and keeps its state; the host is held
 * at the instant by a database trigger ({@link CrashPoints}).
 *
 * <p>The hosts run with {@code portal.scaffolder.worker.timeout=5s}: a job the killed host held
 * is offered again after 5 s, so these scenarios show that redelivery after a crash does nothing
 * twice. How fast a held step is taken over with the starter's own defaults is
 * {@link CrashTakeoverWithDefaultsTests}'s question.
 */
class CrashRecoveryTests {

    /** A redelivered job's wait (5 s), a host's start and the rest of the run. */
    private static final Duration CONVERGES = Duration.ofSeconds(60);

    private static DurabilityHarness harness;

    @BeforeAll
    static void start() {
        harness = DurabilityHarness.create("crash", List.of("--portal.scaffolder.worker.timeout=5s"));
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

    @Test
    void aWaitingApprovalIsBackInTheInboxAtOnceAfterTheHostIsKilled() {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName("waiting");
        UUID run = host.client().startService(service);
        JsonNode task = awaitApproval(host.client(), run, Duration.ofSeconds(30));

        host.kill();
        HostProcess next = harness.startHost();
        long up = System.nanoTime();
        JsonNode again = awaitApproval(next.client(), run, Duration.ofSeconds(5));
        System.out.printf("durability: waiting approval back in the inbox %d ms after the new host is up (%s started in %d ms)%n",
                (System.nanoTime() - up) / 1_000_000, next.name(), next.startUp().toMillis());

        assertThat(again.path("id").asText()).as("the same task").isEqualTo(task.path("id").asText());
        assertThat(next.client().approve(again.path("id").asText()).status()).isEqualTo(200);
        awaitStatus(next.client(), run, "completed", CONVERGES);
        harness.assertCreatedOnce(next.client(), service, run);
    }

    @Test
    void anApproveAnsweredJustBeforeTheKillIsAppliedOnceAndCannotBeRepeated() {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName("approved");
        UUID run = host.client().startService(service);
        String taskId = awaitApproval(host.client(), run, Duration.ofSeconds(30)).path("id").asText();
        assertThat(host.client().approve(taskId).status()).isEqualTo(200);
        host.kill();

        HostProcess next = harness.startHost();
        awaitStatus(next.client(), run, "completed", CONVERGES);
        assertThat(next.client().approve(taskId).status()).as("a repeated approve").isEqualTo(409);
        harness.assertCreatedOnce(next.client(), service, run);
    }

    @Test
    void killedWhileRecordingTheRequestNothingStartsAndTheRequestCanBeRepeated() {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName("unrecorded");
        harness.points().arm(Point.RUN_RECORDED);
        CompletableFuture<PortalClient.Answer> request = CompletableFuture.supplyAsync(() -> host.client().requestService(service));
        harness.points().awaitReached(Point.RUN_RECORDED, Duration.ofSeconds(30));
        host.kill();
        harness.points().release(Point.RUN_RECORDED);
        assertThat(request).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                .withRootCauseInstanceOf(java.io.IOException.class);

        HostProcess next = harness.startHost();
        assertThat(next.client().runs()).as("runs after the crash")
                .noneMatch(r -> r.path("values").path("name").asText().equals(service));
        assertThat(harness.repositoryExists(service)).isFalse();

        UUID run = next.client().startService(service);
        approve(next.client(), run);
        awaitStatus(next.client(), run, "completed", CONVERGES);
        harness.assertCreatedOnce(next.client(), service, run);
    }

    @Test
    void killedAfterTheDecisionWasStoredTheRunGoesOnOnce() {
        crashAfterApproval(Point.DECISION_APPLIED, "decided", true);
    }

    @Test
    void killedWhileRenderingTheRunCompletesOnce() {
        crashAfterApproval(Point.RENDERING, "rendering", false);
    }

    @Test
    void killedJustBeforeThePushTheRunCompletesOnce() {
        crashAfterApproval(Point.PUSHING, "pushing", false);
    }

    @Test
    void killedAfterAPushThatWasNotRecordedTheRepositoryGetsOneCommit() {
        crashAfterApproval(Point.PUSHED_UNRECORDED, "pushed", false);
    }

    @Test
    void killedBeforeRegisteringTheRunCompletesOnce() {
        crashAfterApproval(Point.REGISTERING, "registering", false);
    }

    @Test
    void killedAfterRegisteringBeforeItWasRecordedTheComponentIsRegisteredOnce() {
        crashAfterApproval(Point.REGISTERED_UNRECORDED, "registered", false);
    }

    /**
     * Requests a service, arms the point, approves (in the background when the approve call itself
     * is held), kills the host held at the point, starts a new one and checks the run completed
     * with everything once.
     */
    private static void crashAfterApproval(Point point, String scenario, boolean approveHeld) {
        HostProcess host = harness.anyHost();
        String service = DurabilityHarness.serviceName(scenario);
        UUID run = host.client().startService(service);
        String taskId = awaitApproval(host.client(), run, Duration.ofSeconds(30)).path("id").asText();
        harness.points().arm(point);
        CompletableFuture<PortalClient.Answer> decision = CompletableFuture.supplyAsync(() -> host.client().approve(taskId));
        if (!approveHeld) {
            assertThat(decision.join().status()).isEqualTo(200);
        }
        String held = harness.points().awaitReached(point, Duration.ofSeconds(30));
        assertThat(held).isEqualTo(host.name());
        long killed = System.nanoTime();
        host.kill();
        harness.points().release(point);
        if (approveHeld) {
            assertThat(decision).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(Exception.class)
                    .withRootCauseInstanceOf(java.io.IOException.class);
        }

        HostProcess next = harness.startHost();
        long up = System.nanoTime();
        awaitStatus(next.client(), run, "completed", CONVERGES);
        long done = System.nanoTime();
        System.out.printf("durability: %s: host killed -> new host up %d ms -> run completed %d ms later%n",
                point.id(), (up - killed) / 1_000_000, (done - up) / 1_000_000);
        assertThat(next.client().approve(taskId).status()).as("a repeated approve").isEqualTo(409);
        harness.assertCreatedOnce(next.client(), service, run);
    }

}
