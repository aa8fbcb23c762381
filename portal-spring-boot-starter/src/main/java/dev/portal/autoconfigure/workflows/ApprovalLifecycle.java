package dev.portal.autoconfigure.workflows;

import dev.portal.approval.ApprovalInbox;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts taking user tasks into the inbox, reconciles at once (decisions a crash kept from Zeebe,
 * tasks that vanished while the application was down) and then at a fixed interval.
 */
public final class ApprovalLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApprovalLifecycle.class);

    private final ZeebeApprovals approvals;
    private final ApprovalInbox inbox;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public ApprovalLifecycle(ZeebeApprovals approvals, ApprovalInbox inbox, Duration interval) {
        this.approvals = approvals;
        this.inbox = inbox;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        approvals.open(() -> inbox);
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portal-approvals-reconcile");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::reconcile, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reconcile() {
        try {
            int fixed = inbox.reconcile();
            if (fixed > 0) {
                log.info("approval inbox reconciled {} task(s) with the engine", fixed);
            }
        } catch (RuntimeException e) {
            log.warn("approval reconcile failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        approvals.close();
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
