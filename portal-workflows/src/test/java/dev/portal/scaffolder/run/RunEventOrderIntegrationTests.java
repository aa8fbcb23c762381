package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's events are numbered in the order they commit: a reader that asks for "after the last one
 * I saw" misses none, even when a transaction that started writing first commits last.
 */
class RunEventOrderIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    static PostgresDatabase database;
    static RunStore runs;

    @BeforeAll
    static void start() {
        database = PostgresDatabase.create();
        WorkflowsSchema.migrate(database.dataSource(), database.schema());
        runs = new RunStore(database.dsl());
        // an event whose message is "slow" takes a second to commit, after it got its number
        String schema = database.schema().name();
        database.dsl().execute("""
                create function %1$s.slow_event() returns trigger language plpgsql as $$
                begin
                  if new.message = 'slow' then perform pg_sleep(1); end if;
                  return new;
                end $$;
                create trigger slow_event before insert on %1$s.scaffolder_events
                  for each row execute function %1$s.slow_event();
                """.formatted(schema));
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @Test
    void aReaderFollowingAfterTheLastEventItSawMissesNoneThatCommitLate() throws Exception {
        UUID runId = newRun();
        List<RunEvent> seen = new ArrayList<>();
        long last = runs.events(runId, 0, 100).getLast().id();

        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> runs.log(runId, "render", 1, 1, 1, "info", "slow"));
        Thread.sleep(200);
        CompletableFuture<Void> fast = CompletableFuture.runAsync(() -> runs.log(runId, "publish", 1, 1, 1, "info", "fast"));
        while (!(slow.isDone() && fast.isDone())) {
            for (RunEvent event : runs.events(runId, last, 100)) {
                seen.add(event);
                last = event.id();
            }
        }
        slow.join();
        fast.join();
        for (RunEvent event : runs.events(runId, last, 100)) {
            seen.add(event);
        }

        assertThat(seen).extracting(RunEvent::message).containsExactly("slow", "fast");
        assertThat(runs.events(runId, 0, 100)).extracting(RunEvent::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void numbersEachRunsEventsFromOneAndDropsARepeatedLineWithoutReusingANumber() {
        UUID runId = newRun();
        runs.log(runId, "render", 1, 1, 1, "info", "first line");
        runs.log(runId, "render", 1, 1, 1, "info", "first line");
        runs.log(runId, "render", 1, 1, 2, "info", "second line");

        List<RunEvent> events = runs.events(runId, 0, 100);

        assertThat(events).extracting(RunEvent::message).containsExactly(
                events.getFirst().message(), "first line", "second line");
        assertThat(events.getFirst().id()).isEqualTo(1);
        assertThat(events).extracting(RunEvent::id).isSorted().doesNotHaveDuplicates();
    }

    private static UUID newRun() {
        UUID id = UUID.randomUUID();
        runs.create(new NewRun(id, "template:default/t", "etag", JSON.createObjectNode().put("kind", "Template"),
                "p", JSON.createObjectNode(), "user:default/alice"));
        return id;
    }
}
