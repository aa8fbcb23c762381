package dev.portal.web;

import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Live event streams of runs (Server-Sent Events). An open stream is sent the run's events in
 * commit order, from the database: woken at once when this instance writes an event of its run, and
 * by a one-second sweep for events other instances wrote. It ends when the run reaches a final status.
 *
 * <p>Each stream is written by a virtual thread of its own, at most one at a time per stream: a
 * client that reads slowly (a full TCP window blocks the write) holds up only its own stream. No
 * database connection is held while writing.
 */
public final class ScaffolderEventStreams implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ScaffolderEventStreams.class);
    private static final int BATCH = 500;

    private final RunStore runs;
    private final Function<RunEvent, Object> toWire;
    private final Duration timeout;
    private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("portal-run-event-stream-", 0).factory());
    private final ScheduledExecutorService sweep = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "portal-run-event-streams");
        thread.setDaemon(true);
        return thread;
    });

    public ScaffolderEventStreams(RunStore runs, Function<RunEvent, Object> toWire, Duration timeout) {
        this.runs = runs;
        this.toWire = toWire;
        this.timeout = timeout;
        runs.onEvents(this::wake);
        sweep.scheduleWithFixedDelay(() -> streams.keySet().forEach(this::wake), 1, 1, TimeUnit.SECONDS);
    }

    /** Opens a stream of {@code runId}'s events after {@code after}. */
    public SseEmitter open(UUID runId, long after) {
        return open(runId, after, new SseEmitter(timeout.toMillis()));
    }

    /** Opens a stream on {@code emitter} (tests hand in one that plays a slow client). */
    SseEmitter open(UUID runId, long after, SseEmitter emitter) {
        Stream stream = new Stream(runId, emitter, after);
        streams.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(stream);
        Runnable remove = () -> {
            stream.closed = true;
            Optional.ofNullable(streams.get(runId)).ifPresent(set -> {
                set.remove(stream);
                if (set.isEmpty()) {
                    streams.remove(runId, set);
                }
            });
        };
        emitter.onCompletion(remove);
        // completing on timeout ends the response normally instead of raising AsyncRequestTimeoutException
        emitter.onTimeout(() -> {
            remove.run();
            emitter.complete();
        });
        emitter.onError(error -> remove.run());
        wake(stream);
        return emitter;
    }

    /** Wakes every open stream of {@code runId} (new events may be there). */
    public void wake(UUID runId) {
        Set<Stream> open = streams.get(runId);
        if (open != null) {
            open.forEach(this::wake);
        }
    }

    /** Has the stream's writer look again; starts one unless one is running (which then looks again). */
    private void wake(Stream stream) {
        stream.pending.set(true);
        if (stream.writing.compareAndSet(false, true)) {
            try {
                writers.execute(() -> drain(stream));
            } catch (RejectedExecutionException e) {
                stream.writing.set(false);
            }
        }
    }

    private void drain(Stream stream) {
        do {
            while (stream.pending.getAndSet(false) && !stream.closed) {
                sendQuietly(stream);
            }
            stream.writing.set(false);
        } while (stream.pending.get() && !stream.closed && stream.writing.compareAndSet(false, true));
    }

    /** A failing database must not end the stream: the next wake-up tries again. */
    private void sendQuietly(Stream stream) {
        try {
            send(stream);
        } catch (RuntimeException e) {
            log.warn("cannot send the events of run {}: {}", stream.runId, e.getMessage());
        }
    }

    private void send(Stream stream) {
        try {
            // the status first: a final status's event is in the same transaction, so it is read below
            Optional<Run> run = runs.find(stream.runId);
            List<RunEvent> events;
            do {
                events = runs.events(stream.runId, stream.lastId, BATCH);
                for (RunEvent event : events) {
                    stream.emitter.send(SseEmitter.event()
                            .id(Long.toString(event.id()))
                            .name(event.type())
                            .data(toWire.apply(event), MediaType.APPLICATION_JSON));
                    stream.lastId = event.id();
                }
            } while (events.size() == BATCH);
            if (run.isEmpty() || run.get().status().isFinal()) {
                stream.closed = true;
                stream.emitter.complete();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away; the emitter's callbacks remove the stream
            log.debug("event stream of run {} closed: {}", stream.runId, e.getMessage());
            stream.closed = true;
            stream.emitter.completeWithError(e);
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown, which would otherwise wait
     * for these long requests; clients reconnect with {@code Last-Event-ID} to another instance.
     */
    @Override
    public void stop() {
        running = false;
        streams.values().forEach(set -> set.forEach(stream -> stream.emitter.complete()));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        sweep.shutdownNow();
        writers.shutdownNow();
        stop();
    }

    private static final class Stream {
        final UUID runId;
        final SseEmitter emitter;
        final AtomicBoolean pending = new AtomicBoolean();
        final AtomicBoolean writing = new AtomicBoolean();
        volatile boolean closed;
        /** Only its one writer at a time reads and moves it. */
        volatile long lastId;

        Stream(UUID runId, SseEmitter emitter, long lastId) {
            this.runId = runId;
            this.emitter = emitter;
            this.lastId = lastId;
        }
    }
}
