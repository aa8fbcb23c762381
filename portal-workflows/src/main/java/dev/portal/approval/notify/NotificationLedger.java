package dev.portal.approval.notify;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import static dev.portal.db.workflows.Tables.APPROVAL_NOTIFICATIONS;

/**
 * What approvers were told, per task, event and channel. {@link #claim} comes before any sending and
 * only one claim of a (task, event, channel) ever succeeds, across restarts and hosts: a
 * notification is sent at most once.
 */
public final class NotificationLedger {

    /** The channel name of e-mail. */
    public static final String MAIL = "mail";

    /** The channel name a reminder sweep claims a task's reminder with before it is sent. */
    static final String SWEEP = "sweep";

    private static final int MAX_ERROR = 2000;

    private final DSLContext dsl;

    public NotificationLedger(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The channel name of a webhook. */
    public static String webhook(Webhook webhook) {
        return "webhook:" + webhook.name();
    }

    /** Whether this caller may send {@code event} of the task on {@code channel}: true once, ever. */
    public boolean claim(long jobKey, NoticeEvent event, String channel) {
        return dsl.insertInto(APPROVAL_NOTIFICATIONS)
                .set(APPROVAL_NOTIFICATIONS.JOB_KEY, jobKey)
                .set(APPROVAL_NOTIFICATIONS.EVENT, event.wireName())
                .set(APPROVAL_NOTIFICATIONS.CHANNEL, channel)
                .onConflictDoNothing()
                .execute() == 1;
    }

    public void sent(long jobKey, NoticeEvent event, String channel, int attempts) {
        dsl.update(APPROVAL_NOTIFICATIONS)
                .set(APPROVAL_NOTIFICATIONS.SENT_AT, DSL.currentOffsetDateTime())
                .set(APPROVAL_NOTIFICATIONS.ATTEMPTS, attempts)
                .setNull(APPROVAL_NOTIFICATIONS.ERROR)
                .where(APPROVAL_NOTIFICATIONS.JOB_KEY.eq(jobKey), APPROVAL_NOTIFICATIONS.EVENT.eq(event.wireName()),
                        APPROVAL_NOTIFICATIONS.CHANNEL.eq(channel))
                .execute();
    }

    /** Records why a channel gave up (or why there was nothing to send); never a secret. */
    public void failed(long jobKey, NoticeEvent event, String channel, int attempts, String error) {
        dsl.update(APPROVAL_NOTIFICATIONS)
                .set(APPROVAL_NOTIFICATIONS.ATTEMPTS, attempts)
                .set(APPROVAL_NOTIFICATIONS.ERROR, error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error)
                .where(APPROVAL_NOTIFICATIONS.JOB_KEY.eq(jobKey), APPROVAL_NOTIFICATIONS.EVENT.eq(event.wireName()),
                        APPROVAL_NOTIFICATIONS.CHANNEL.eq(channel))
                .execute();
    }

    /** What was sent about a task, in the order it was claimed. */
    public List<Entry> of(long jobKey) {
        return dsl.selectFrom(APPROVAL_NOTIFICATIONS)
                .where(APPROVAL_NOTIFICATIONS.JOB_KEY.eq(jobKey))
                .orderBy(APPROVAL_NOTIFICATIONS.CLAIMED_AT, APPROVAL_NOTIFICATIONS.EVENT, APPROVAL_NOTIFICATIONS.CHANNEL)
                .fetch(row -> new Entry(row.getEvent(), row.getChannel(), row.getClaimedAt(), Optional.ofNullable(row.getSentAt()),
                        row.getAttempts(), Optional.ofNullable(row.getError())));
    }

    /**
     * One notification.
     *
     * @param sentAt when it was accepted (2xx, or the mail server took it); empty while under way or after giving up
     * @param error  why it was given up
     */
    public record Entry(String event, String channel, OffsetDateTime claimedAt, Optional<OffsetDateTime> sentAt,
                        int attempts, Optional<String> error) {
    }
}
