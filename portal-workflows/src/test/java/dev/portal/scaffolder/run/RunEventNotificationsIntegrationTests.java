package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one database: events one writes reach the other's listener through PostgreSQL
 * LISTEN/NOTIFY, also after its listener connection was cut.
 */
class RunEventNotificationsIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PostgresDatabase database;
    static RunStore instanceA;
    static RunEventNotifications instanceB;
    static LinkedBlockingQueue<UUID> heardOnB = new LinkedBlockingQueue<>();
    static AtomicInteger reconnects = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        database = PostgresDatabase.create();
        WorkflowsSchema.migrate(database.dataSource(), database.schema());
        instanceA = new RunStore(database.dsl());
        instanceB = new RunEventNotifications(() -> DriverManager.getConnection(database.jdbcUrl(), PostgresDatabase.user(), ""));
        instanceB.onRun(heardOnB::add);
        instanceB.onReconnect(reconnects::incrementAndGet);
        instanceB.start();
        awaitListening();
    }

    @AfterAll
    static void stop() {
        instanceB.close();
        database.close();
    }

    @Test
    void anEventWrittenOnOneInstanceWakesTheOtherWhenItCommits() throws Exception {
        UUID runId = newRun();
        heardOnB.clear();

        instanceA.log(runId, "render", 1, 1, 1, "info", "rendered 12 files");

        assertThat(heardOnB.poll(10, TimeUnit.SECONDS)).isEqualTo(runId);
    }

    @Test
    void theListenerReconnectsAfterItsConnectionWasCutAndSaysSo() throws Exception {
        int before = reconnects.get();
        database.dsl().execute("select pg_terminate_backend(pid) from pg_stat_activity"
                + " where datname = current_database() and query like 'LISTEN%'");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reconnects.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(reconnects.get()).as("reconnected").isGreaterThan(before);
        awaitListening();
        UUID runId = newRun();
        heardOnB.clear();

        instanceA.runEvent(runId, "status", "info", "approved by user:default/bob");

        assertThat(heardOnB.poll(10, TimeUnit.SECONDS)).isEqualTo(runId);
    }

    private static void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!instanceB.isListening() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(instanceB.isListening()).isTrue();
    }

    private static UUID newRun() {
        UUID id = UUID.randomUUID();
        instanceA.create(new NewRun(id, "template:default/t", "etag", JSON.createObjectNode().put("kind", "Template"),
                "p", JSON.createObjectNode(), "user:default/alice"));
        return id;
    }
}
