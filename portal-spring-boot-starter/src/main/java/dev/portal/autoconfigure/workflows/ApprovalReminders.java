package dev.portal.autoconfigure.workflows;

import dev.portal.approval.notify.ApprovalNotifications;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Reminds approvers of open tasks falling due ({@link ApprovalNotifications#remindDue()}) at a fixed interval. */
public final class ApprovalReminders implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApprovalReminders.class);

    private final ApprovalNotifications notifications;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public ApprovalReminders(ApprovalNotifications notifications, Duration interval) {
        this.notifications = notifications;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portal-approval-reminders");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::remind, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void remind() {
        try {
            int reminded = notifications.remindDue();
            if (reminded > 0) {
                log.info("reminding the approvers of {} task(s) falling due", reminded);
            }
        } catch (RuntimeException e) {
            log.warn("approval reminders failed: {}", e.getMessage());
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
