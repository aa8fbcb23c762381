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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Live event streams of runs (Server-Sent Events). An open stream is sent the run's events in
 * order, from the database: woken at once when this instance writes an event of its run, and by a
 * one-second sweep for events other instances wrote. It ends when the run reaches a final status.
 */
public final class ScaffolderEventStreams implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ScaffolderEventStreams.class);
    private static final int BATCH = 500;

    private final RunStore runs;
    private final Function<RunEvent, Object> toWire;
    private final Duration timeout;
    private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "portal-run-event-streams");
        thread.setDaemon(true);
        return thread;
    });

    public ScaffolderEventStreams(RunStore runs, Function<RunEvent, Object> toWire, Duration timeout) {
        this.runs = runs;
        this.toWire = toWire;
        this.timeout = timeout;
        runs.onEvents(runId -> {
            if (streams.containsKey(runId)) {
                sender.execute(() -> sendQuietly(runId));
            }
        });
        sender.scheduleWithFixedDelay(() -> streams.keySet().forEach(this::sendQuietly), 1, 1, TimeUnit.SECONDS);
    }

    /** Opens a stream of {@code runId}'s events after {@code after}. */
    public SseEmitter open(UUID runId, long after) {
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Stream stream = new Stream(emitter, after);
        streams.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(stream);
        Runnable remove = () -> Optional.ofNullable(streams.get(runId)).ifPresent(set -> {
            set.remove(stream);
            if (set.isEmpty()) {
                streams.remove(runId, set);
            }
        });
        emitter.onCompletion(remove);
        // completing on timeout ends the response normally instead of raising AsyncRequestTimeoutException
        emitter.onTimeout(() -> {
            remove.run();
            emitter.complete();
        });
        emitter.onError(error -> remove.run());
        sender.execute(() -> sendQuietly(runId));
        return emitter;
    }

    /** A failing database must not end the sweep: a scheduled task that throws is never run again. */
    private void sendQuietly(UUID runId) {
        try {
            send(runId);
        } catch (RuntimeException e) {
            log.warn("cannot send the events of run {}: {}", runId, e.getMessage());
        }
    }

    private void send(UUID runId) {
        Set<Stream> open = streams.get(runId);
        if (open == null || open.isEmpty()) {
            return;
        }
        Optional<Run> run = runs.find(runId);
        for (Stream stream : open) {
            synchronized (stream) {
                try {
                    List<RunEvent> events;
                    do {
                        events = runs.events(runId, stream.lastId, BATCH);
                        for (RunEvent event : events) {
                            stream.emitter.send(SseEmitter.event()
                                    .id(Long.toString(event.id()))
                                    .name(event.type())
                                    .data(toWire.apply(event), MediaType.APPLICATION_JSON));
                            stream.lastId = event.id();
                        }
                    } while (events.size() == BATCH);
                    if (run.isEmpty() || run.get().status().isFinal()) {
                        stream.emitter.complete();
                    }
                } catch (IOException | IllegalStateException e) {
                    // the client went away; the emitter's callbacks remove the stream
                    log.debug("event stream of run {} closed: {}", runId, e.getMessage());
                    stream.emitter.completeWithError(e);
                }
            }
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
        sender.shutdownNow();
        stop();
    }

    private static final class Stream {
        final SseEmitter emitter;
        long lastId;

        Stream(SseEmitter emitter, long lastId) {
            this.emitter = emitter;
            this.lastId = lastId;
        }
    }
}
