package dev.portal.catalog.refresh;

import dev.portal.catalog.model.Location;
import dev.portal.catalog.persistence.LocationStore;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Re-reads locations that are due. Each location is claimed in its own transaction with
 * {@code FOR UPDATE SKIP LOCKED}, processed and committed, so any number of loops (threads, or host
 * application instances sharing one database) work side by side without processing one location
 * twice at the same time, and a crash mid-way rolls back just that one location.
 */
public final class RefreshLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RefreshLoop.class);

    private final DSLContext dsl;
    private final LocationProcessor processor;
    private final Duration pollInterval;
    private final ProcessingListener listener;
    private ScheduledExecutorService scheduler;

    /**
     * @param pollInterval how often the loop looks for due locations (each location's own
     *     refresh interval decides when it is due)
     */
    public RefreshLoop(DSLContext dsl, LocationProcessor processor, Duration pollInterval,
                       ProcessingListener listener) {
        this.dsl = dsl;
        this.processor = processor;
        this.pollInterval = pollInterval;
        this.listener = listener;
    }

    /**
     * Processes the locations that are due now, each at most once, until none is left or {@code max}
     * were processed.
     *
     * @return the number of locations processed
     */
    public int runOnce(int max) {
        OffsetDateTime passStart = OffsetDateTime.now();
        int processed = 0;
        while (processed < max && processNext(passStart).isPresent()) {
            processed++;
        }
        return processed;
    }

    /** Claims and processes the location due the longest, if any. */
    public Optional<ProcessingReport> processNext() {
        return processNext(OffsetDateTime.now());
    }

    private Optional<ProcessingReport> processNext(OffsetDateTime dueBy) {
        AtomicReference<Location> claimed = new AtomicReference<>();
        long start = System.nanoTime();
        try {
            Optional<ProcessingReport> report = dsl.transactionResult(cfg -> LocationStore.jooq(cfg.dsl())
                    .claimDue(dueBy)
                    .map(location -> {
                        claimed.set(location);
                        return processor.process(cfg.dsl(), location);
                    }));
            report.ifPresent(done -> listener.processed(done, Duration.ofNanos(System.nanoTime() - start)));
            return report;
        } catch (RuntimeException e) {
            // Bad input is reported as data and never gets here; this is an infrastructure failure.
            // The pass rolled back; push the location back so it does not starve the others.
            Location location = claimed.get();
            if (location != null) {
                LocationStore.jooq(dsl).recordRefresh(location.id(), processor.settings().refreshInterval(),
                        "processing failed: " + e, null);
                listener.failed(location, e, Duration.ofNanos(System.nanoTime() - start));
            }
            throw e;
        }
    }

    /** Starts polling on a background thread. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("portal-catalog-refresh").factory());
        scheduler.scheduleWithFixedDelay(this::tick, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
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
    }

    private void tick() {
        try {
            int processed = runOnce(Integer.MAX_VALUE);
            if (processed > 0) {
                log.debug("Refreshed {} catalog location(s)", processed);
            }
        } catch (RuntimeException e) {
            // The scheduler would silently stop on an escaping exception; the failed location's
            // transaction rolled back and it stays due, so the next tick retries it.
            log.warn("Catalog refresh failed; retrying at the next tick", e);
        }
    }
}
