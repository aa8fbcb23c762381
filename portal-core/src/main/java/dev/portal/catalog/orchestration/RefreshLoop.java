package dev.portal.catalog.orchestration;

import dev.portal.catalog.persistence.Claim;
import dev.portal.catalog.persistence.LocationStore;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Re-reads locations that are due. Each location is claimed with a lease in a statement of its own
 * ({@link LocationStore#claimDue}), read with no connection held and written in one short
 * transaction ({@link LocationProcessor}), so any number of workers (threads, or host application
 * instances sharing one database) work side by side without processing one location twice at the
 * same time, a slow source holds up only the worker reading it, and a worker that dies leaves its
 * location due again when the lease ends.
 */
public final class RefreshLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RefreshLoop.class);

    private final DSLContext dsl;
    private final LocationProcessor processor;
    private final Duration pollInterval;
    private final int workers;
    private final ProcessingListener listener;
    private volatile ScheduledExecutorService scheduler;
    private ExecutorService pool;
    private Semaphore idle;

    /**
     * @param pollInterval how often the loop looks for due locations (each location's own
     *     refresh interval decides when it is due)
     * @param workers how many locations are read at once
     */
    public RefreshLoop(DSLContext dsl, LocationProcessor processor, Duration pollInterval, int workers,
                       ProcessingListener listener) {
        if (workers < 1) {
            throw new IllegalArgumentException("a refresh loop needs at least one worker, got " + workers);
        }
        this.dsl = dsl;
        this.processor = processor;
        this.pollInterval = pollInterval;
        this.workers = workers;
        this.listener = listener;
    }

    /**
     * Processes the locations that are due now, one after the other on this thread, each at most
     * once, until none is left or {@code max} were processed.
     *
     * @return the number of locations processed
     */
    public int runOnce(int max) {
        OffsetDateTime passStart = OffsetDateTime.now();
        int processed = 0;
        while (processed < max) {
            Optional<Claim> claim = claim(passStart);
            if (claim.isEmpty()) {
                break;
            }
            process(claim.get());
            processed++;
        }
        return processed;
    }

    /** Claims and processes the location due the longest, if any; empty also if a refresh somebody asked for overtook it. */
    public Optional<ProcessingReport> processNext() {
        return claim(OffsetDateTime.now()).flatMap(this::process);
    }

    private Optional<Claim> claim(OffsetDateTime dueBy) {
        return LocationStore.jooq(dsl).claimDue(dueBy, processor.settings().claimLease());
    }

    private Optional<ProcessingReport> process(Claim claim) {
        long start = System.nanoTime();
        try {
            Optional<ProcessingReport> report = processor.process(dsl, claim, BeforeWrite.NOTHING);
            report.ifPresent(done -> listener.processed(done, Duration.ofNanos(System.nanoTime() - start)));
            return report;
        } catch (RuntimeException e) {
            // Bad input is reported as data and never gets here; this is an infrastructure failure.
            // Nothing was written; push the location back so it does not starve the others.
            LocationStore.jooq(dsl).recordRefresh(claim.location().id(), processor.settings().refreshInterval(),
                    "processing failed: " + e, null);
            listener.failed(claim.location(), e, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }

    /** Starts polling on a background thread, with {@code workers} threads reading the locations it claims. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        idle = new Semaphore(workers);
        pool = Executors.newFixedThreadPool(workers, Thread.ofPlatform().daemon()
                .name("portal-catalog-refresh-", 1).factory());
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("portal-catalog-refresh").factory());
        scheduler.scheduleWithFixedDelay(this::tick, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdown();
            pool.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    scheduler.shutdownNow();
                }
                if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                scheduler.shutdownNow();
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
            scheduler = null;
            pool = null;
        }
    }

    /**
     * Looks for due locations now rather than at the next poll; does nothing unless the loop is
     * running. A worker that finished calls it: it may find more waiting (a location that named a
     * hundred others makes them all due at once), and leaving it idle until the poll interval ends
     * made ingest wait for the clock, not the work. The catalog calls it when a refresh it ran
     * outside the loop made locations due.
     */
    public void wake() {
        ScheduledExecutorService current = scheduler;
        if (current != null) {
            try {
                current.execute(this::tick);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    /** Hands due locations to idle workers until none is idle or none is due. */
    private void tick() {
        try {
            while (idle.tryAcquire()) {
                Optional<Claim> claim = claim(OffsetDateTime.now());
                if (claim.isEmpty()) {
                    idle.release();
                    return;
                }
                try {
                    pool.execute(() -> {
                        try {
                            process(claim.get());
                        } catch (RuntimeException e) {
                            log.warn("Refreshing catalog location {} failed; it is due again in the refresh interval",
                                    claim.get().location().spec(), e);
                        } finally {
                            idle.release();
                            wake();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    idle.release();   // closing: the claim runs out and another instance takes it
                    return;
                }
            }
        } catch (RuntimeException e) {
            // The scheduler would silently stop on an escaping exception (the database may be away
            // for a moment); the next tick tries again.
            log.warn("Looking for catalog locations to refresh failed; retrying at the next tick", e);
        }
    }
}
