package dev.portal.approval.notify;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How approvers are told, for every task (a task header or its template's annotation may turn
 * e-mail off or name other webhooks, see {@link TaskChannels}).
 *
 * @param uiBase        the web UI's absolute address, e.g. {@code https://portal.example.com/portal};
 *                      a task's page is {@code <uiBase>/approvals/<task id>}
 * @param mail          whether to send e-mail (when the host has a mail sender)
 * @param mailFrom      the sender address, or empty for the mail sender's default
 * @param subjectPrefix put before every subject, e.g. {@code [Portal] }
 * @param webhooks      the receivers a task may name
 * @param dueSoon       how long before a task's due date its approvers are reminded; zero for never
 * @param threads       how many notifications are sent at once (each on its own thread)
 * @param queueCapacity how many may wait for a thread; beyond that new ones are dropped (and logged)
 *                      rather than ever holding up the inbox
 * @param maxRecipients the most people one task's e-mail goes to
 */
public record NotificationSettings(String uiBase, boolean mail, Optional<String> mailFrom, String subjectPrefix,
                                   List<Webhook> webhooks, Duration dueSoon, int threads, int queueCapacity,
                                   int maxRecipients) {

    public NotificationSettings {
        uiBase = uiBase.endsWith("/") ? uiBase.substring(0, uiBase.length() - 1) : uiBase;
        webhooks = List.copyOf(webhooks);
        if (threads < 1 || queueCapacity < 1 || maxRecipients < 1) {
            throw new IllegalArgumentException("threads, queue capacity and max recipients must be at least 1");
        }
        if (dueSoon.isNegative()) {
            throw new IllegalArgumentException("due-soon must not be negative, not " + dueSoon);
        }
        long distinct = webhooks.stream().map(Webhook::name).distinct().count();
        if (distinct != webhooks.size()) {
            throw new IllegalArgumentException("webhook names must be unique");
        }
    }

    /** E-mail on, no webhooks, reminders a day ahead. */
    public static NotificationSettings defaults(String uiBase) {
        return new NotificationSettings(uiBase, true, Optional.empty(), "[Portal] ", List.of(), Duration.ofDays(1), 2, 1000, 200);
    }

    public NotificationSettings withWebhooks(List<Webhook> webhooks) {
        return new NotificationSettings(uiBase, mail, mailFrom, subjectPrefix, webhooks, dueSoon, threads, queueCapacity, maxRecipients);
    }

    public NotificationSettings withDueSoon(Duration dueSoon) {
        return new NotificationSettings(uiBase, mail, mailFrom, subjectPrefix, webhooks, dueSoon, threads, queueCapacity, maxRecipients);
    }

    Map<String, Webhook> webhooksByName() {
        return webhooks.stream().collect(Collectors.toMap(Webhook::name, Function.identity()));
    }

    /** The task's page in the web UI. */
    public String taskLink(long jobKey) {
        return uiBase + "/approvals/" + jobKey;
    }

    /** The run's page in the web UI. */
    public String runLink(java.util.UUID runId) {
        return uiBase + "/runs/" + runId;
    }
}
