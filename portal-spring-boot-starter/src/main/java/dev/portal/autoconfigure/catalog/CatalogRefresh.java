package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.refresh.ProcessingReport;
import dev.portal.catalog.refresh.RefreshLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the catalog's locations fresh in the background while the application runs: started once
 * the context is up, stopped (waiting for the location in progress) on shutdown.
 *
 * <p>It polls with {@link RefreshLoop#processNext()} itself instead of {@link RefreshLoop#start()},
 * so that every processed location can be reported to the {@link CatalogProcessingListener}s (the
 * metrics among them) without a hook in portal-core. Claiming, transactions and putting a failed
 * location back stay in the loop.
 */
public class CatalogRefresh implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CatalogRefresh.class);

    /**
     * The most locations one poll processes, so that a location whose refresh interval is shorter
     * than a pass cannot keep the poll from ending.
     */
    private static final int MAX_PER_POLL = 1_000;

    private final RefreshLoop loop;
    private final Duration pollInterval;
    private final ObjectProvider<CatalogProcessingListener> listeners;
    private ScheduledExecutorService scheduler;

    public CatalogRefresh(RefreshLoop loop, Duration pollInterval, ObjectProvider<CatalogProcessingListener> listeners) {
        this.loop = loop;
        this.pollInterval = pollInterval;
        this.listeners = listeners;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("portal-catalog-refresh").factory());
        scheduler.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** Processes the locations that are due now; what {@link RefreshLoop#runOnce} does, one location at a time. */
    void poll() {
        for (int processed = 0; processed < MAX_PER_POLL && !Thread.currentThread().isInterrupted(); processed++) {
            long start = System.nanoTime();
            Optional<ProcessingReport> report;
            try {
                report = loop.processNext();
            } catch (RuntimeException e) {
                // The scheduler would silently stop on an escaping exception; the location's
                // transaction rolled back and the loop pushed it back, so a later poll retries it.
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                listeners.orderedStream().forEach(listener -> listener.refreshFailed(e, took));
                log.warn("Catalog refresh failed; retrying at the next poll", e);
                return;
            }
            if (report.isEmpty()) {
                return;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            listeners.orderedStream().forEach(listener -> listener.refreshed(report.get(), took));
        }
    }
}
