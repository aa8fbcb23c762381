package dev.portal.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.run.NewRun;
import dev.portal.scaffolder.run.RunEventNotifications;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.run.WorkflowsSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Live streams on real PostgreSQL: one client that stops reading holds up nobody else's stream. */
class ScaffolderEventStreamsIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PostgresDatabase database;
    static RunStore runs;
    static ScaffolderEventStreams streams;

    @BeforeAll
    static void start() {
        database = PostgresDatabase.create();
        WorkflowsSchema.migrate(database.dataSource(), database.schema());
        runs = new RunStore(database.dsl());
        streams = new ScaffolderEventStreams(runs, event -> event.message(), Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() {
        streams.destroy();
        database.close();
    }

    @Test
    void aClientThatStopsReadingHoldsUpNoOtherStream() throws Exception {
        UUID stuckRun = newRun();
        UUID liveRun = newRun();
        CountDownLatch stuckWriting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // its writes block, as a write to a client whose TCP window is full does
        streams.open(stuckRun, 0, new SseEmitter(60_000L) {
            @Override
            public void send(SseEventBuilder builder) throws IOException {
                stuckWriting.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(stuckWriting.await(10, TimeUnit.SECONDS)).isTrue();
        List<Set<?>> received = new CopyOnWriteArrayList<>();
        streams.open(liveRun, 0, new SseEmitter(60_000L) {
            @Override
            public void send(SseEventBuilder builder) {
                received.add(builder.build());
            }
        });

        runs.log(liveRun, "render", 1, 1, 1, "info", "rendered");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        release.countDown();
        assertThat(received).as("the live stream got the request and the new line while the other one was stuck").hasSize(2);
    }

    @Test
    void aStreamOnOneInstanceIsWokenByAnEventAnotherInstanceWrote() throws Exception {
        // instance B polls only every ten minutes: only its notification listener can wake it in time
        RunStore storeOfB = new RunStore(database.dsl());
        try (RunEventNotifications listenerOfB = new RunEventNotifications(
                () -> DriverManager.getConnection(database.jdbcUrl(), PostgresDatabase.user(), ""))) {
            ScaffolderEventStreams streamsOfB = new ScaffolderEventStreams(storeOfB, event -> event.message(),
                    Duration.ofMinutes(1), listenerOfB, Duration.ofMinutes(10));
            streamsOfB.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!listenerOfB.isListening() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                UUID runId = newRun();
                List<Object> received = new CopyOnWriteArrayList<>();
                streamsOfB.open(runId, 0, new SseEmitter(60_000L) {
                    @Override
                    public void send(SseEventBuilder builder) {
                        received.add(builder.build());
                    }
                });
                deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }

                // instance A (the shared "runs" store) writes: the decision of an approval
                runs.runEvent(runId, "status", "info", "approved by user:default/bob");

                deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (received.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(received).as("the request, then the decision written on the other instance").hasSize(2);
            } finally {
                streamsOfB.destroy();
            }
        }
    }

    private static UUID newRun() {
        UUID id = UUID.randomUUID();
        runs.create(new NewRun(id, "template:default/t", "etag", JSON.createObjectNode().put("kind", "Template"),
                "p", JSON.createObjectNode(), "user:default/alice"));
        return id;
    }
}
