package dev.portal.web;

import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunEventNotifications;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.web.model.TaskEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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
 * commit order, from the database: woken at once when this instance writes an event of its run,
 * when another instance does ({@link RunEventNotifications}, PostgreSQL LISTEN/NOTIFY), and by a
 * periodic sweep as a safety net. It ends when the run reaches a final status.
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
    private final RunEventNotifications notifications;
    private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Held>> held = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("portal-run-event-stream-", 0).factory());
    private final ScheduledExecutorService sweep = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "portal-run-event-streams");
        thread.setDaemon(true);
        return thread;
    });

    /** Streams that hear of other instances' events only by looking every second. */
    public ScaffolderEventStreams(RunStore runs, Function<RunEvent, Object> toWire, Duration timeout) {
        this(runs, toWire, timeout, null, Duration.ofSeconds(1));
    }

    /**
     * @param notifications wakes streams when another instance writes events (PostgreSQL
     *                      LISTEN/NOTIFY), or null; started with this bean's lifecycle
     * @param pollInterval  interval between looks at every open stream's run regardless, a safety net
     *                      for notifications lost while the listener reconnected
     */
    public ScaffolderEventStreams(RunStore runs, Function<RunEvent, Object> toWire, Duration timeout,
                                  RunEventNotifications notifications, Duration pollInterval) {
        this.runs = runs;
        this.toWire = toWire;
        this.timeout = timeout;
        this.notifications = notifications;
        runs.onEvents(this::wake);
        if (notifications != null) {
            notifications.onRun(this::wake);
            notifications.onReconnect(this::wakeAll);
        }
        long every = Math.max(pollInterval.toMillis(), 10);
        sweep.scheduleWithFixedDelay(this::wakeAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Wakes every open stream and held request. */
    private void wakeAll() {
        streams.keySet().forEach(this::wake);
        held.keySet().forEach(this::wake);
    }

    /**
     * One page of a run's events on the wire: {@code events} (read after {@code after}), followed by
     * the run's ending ({@link BackstageTaskShapes#ending}) when the page holds all there is and the
     * run ended or failed (read after the events, with no event after the page). Empty when nothing is new.
     */
    List<TaskEvent> page(UUID runId, long after, List<RunEvent> events, int max) {
        List<TaskEvent> page = new ArrayList<>(events.size() + 2);
        events.forEach(event -> page.add(ScaffolderController.event(event)));
        if (events.size() < max) {
            // the status is read after the events: a final status's event commits with the status,
            // so a run read as ended has its last event among those read, or read on the next look
            runs.find(runId).ifPresent(run -> {
                long last = events.isEmpty() ? after : events.getLast().id();
                List<RunEvent> later = runs.events(runId, last, 1);
                if (later.isEmpty()) {
                    page.addAll(BackstageTaskShapes.ending(run, last));
                }
            });
        }
        return page;
    }

    /**
     * Answers {@code result} with the run's next page after {@code after} as soon as there is one,
     * woken like the streams are; no thread waits meanwhile. The caller authorized the read and
     * found nothing new; {@code result}'s own timeout answers when nothing comes.
     */
    void hold(UUID runId, long after, int max, DeferredResult<List<TaskEvent>> result) {
        Held request = new Held(runId, after, max, result);
        held.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(request);
        Runnable remove = () -> Optional.ofNullable(held.get(runId)).ifPresent(set -> {
            set.remove(request);
            if (set.isEmpty()) {
                held.remove(runId, set);
            }
        });
        result.onCompletion(remove);
        result.onError(error -> remove.run());
        // an event written between the caller's read and the registration above must not be missed
        look(request);
    }

    private void look(Held request) {
        if (request.result.isSetOrExpired() || !request.looking.compareAndSet(false, true)) {
            request.again.set(true);
            return;
        }
        try {
            writers.execute(() -> {
                try {
                    do {
                        request.again.set(false);
                        if (request.result.isSetOrExpired()) {
                            return;
                        }
                        List<TaskEvent> page = page(request.runId, request.after,
                                runs.events(request.runId, request.after, request.max), request.max);
                        if (!page.isEmpty()) {
                            request.result.setResult(page);
                            return;
                        }
                    } while (request.again.get());
                } catch (RuntimeException e) {
                    log.warn("cannot read the events of run {} for a held request: {}", request.runId, e.getMessage());
                } finally {
                    request.looking.set(false);
                    if (request.again.get() && !request.result.isSetOrExpired()) {
                        look(request); // woken while finishing
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            request.looking.set(false);
        }
    }

    private record Held(UUID runId, long after, int max, DeferredResult<List<TaskEvent>> result,
                        AtomicBoolean looking, AtomicBoolean again) {
        Held(UUID runId, long after, int max, DeferredResult<List<TaskEvent>> result) {
            this(runId, after, max, result, new AtomicBoolean(), new AtomicBoolean());
        }
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

    /** Wakes every open stream and held request of {@code runId} (new events may be there). */
    public void wake(UUID runId) {
        Set<Stream> open = streams.get(runId);
        if (open != null) {
            open.forEach(this::wake);
        }
        Set<Held> waiting = held.get(runId);
        if (waiting != null) {
            waiting.forEach(this::look);
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
            boolean recovered = false;
            do {
                events = runs.events(stream.runId, stream.lastId, BATCH);
                for (RunEvent event : events) {
                    Object wire = toWire.apply(event);
                    stream.emitter.send(SseEmitter.event()
                            .id(Long.toString(event.id()))
                            .name(wire instanceof TaskEvent taskEvent ? taskEvent.getType().getValue() : event.type())
                            .data(wire, MediaType.APPLICATION_JSON));
                    stream.lastId = event.id();
                    recovered |= "recovered".equals(event.type());
                }
            } while (events.size() == BATCH);
            // a run that ended or failed: Backstage's cancelled/completion, once per stream until it moves
            // on. The status was read before the events: a final one stays, but a failed run whose
            // retry is among the events just sent has moved on.
            boolean stale = recovered && run.isPresent() && run.get().status() == RunStatus.FAILED;
            if (run.isPresent() && !stale && stream.endingSentAfter != stream.lastId) {
                for (TaskEvent ending : BackstageTaskShapes.ending(run.get(), stream.lastId)) {
                    stream.emitter.send(SseEmitter.event()
                            .id(Long.toString(ending.getId()))
                            .name(ending.getType().getValue())
                            .data(ending, MediaType.APPLICATION_JSON));
                    stream.endingSentAfter = stream.lastId;
                }
            }
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
        if (notifications != null) {
            notifications.start();
        }
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
        // held polls answer "nothing new" at once; the client asks again (another instance)
        held.values().forEach(set -> set.forEach(request -> request.result.setResult(List.of())));
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
        /** The {@code lastId} after which the run's ending events were sent, -1 before. */
        volatile long endingSentAfter = -1;

        Stream(UUID runId, SseEmitter emitter, long lastId) {
            this.runId = runId;
            this.emitter = emitter;
            this.lastId = lastId;
        }
    }
}
