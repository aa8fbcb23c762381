package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.IncidentWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the {@link IncidentWatcher} at a fixed interval while the application runs. */
public final class IncidentSweeps implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IncidentSweeps.class);

    private final IncidentWatcher watcher;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public IncidentSweeps(IncidentWatcher watcher, Duration interval) {
        this.watcher = watcher;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portal-incident-sweeps");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            int failed = watcher.sweep();
            if (failed > 0) {
                log.info("{} run(s) failed on incidents no portal action raised", failed);
            }
        } catch (RuntimeException e) {
            log.warn("incident sweep failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
