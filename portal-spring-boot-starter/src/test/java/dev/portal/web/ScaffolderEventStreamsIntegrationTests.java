package dev.portal.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.run.NewRun;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.run.WorkflowsSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
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

        runs.log(liveRun, "render", 1, 1, "info", "rendered");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (received.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        release.countDown();
        assertThat(received).as("the live stream got the request and the new line while the other one was stuck").hasSize(2);
    }

    private static UUID newRun() {
        UUID id = UUID.randomUUID();
        runs.create(new NewRun(id, "template:default/t", "etag", JSON.createObjectNode().put("kind", "Template"),
                "p", JSON.createObjectNode(), "user:default/alice"));
        return id;
    }
}
