package dev.portal.approval.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalListener;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.catalog.persistence.EntityQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells a task's approvers that it waits for them ({@link NoticeEvent#CREATED}), that it was
 * escalated away from them ({@link NoticeEvent#ESCALATED}) and, from {@link #remindDue()}, that it
 * falls due soon ({@link NoticeEvent#DUE_SOON}): by e-mail (when the host has a {@link MailSender}),
 * and by signed webhooks. Which channels a task uses: {@link TaskChannels}; who is told:
 * {@link TaskRecipients}; each notice links to the task's page in the web UI.
 *
 * <p>The inbox calls it after the task is stored. Everything else happens on its own bounded
 * threads: the inbox (and with it the run) never waits for a mail server or a webhook receiver,
 * and when the queue is full a notice is dropped and logged. Before anything is sent, the
 * {@link NotificationLedger} is claimed, so each task event goes out at most once per channel,
 * whatever restarts, redeliveries or other hosts do.
 */
public final class ApprovalNotifications implements ApprovalListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalNotifications.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SWEEP_BATCH = 100;

    private final ApprovalStore store;
    private final NotificationLedger ledger;
    private final EntityQueries entities;
    private final TaskRecipients recipients;
    private final NotificationSettings settings;
    private final Optional<MailSender> mail;
    private final Clock clock;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService retries;
    private final WebhookDelivery webhooks;

    public ApprovalNotifications(ApprovalStore store, NotificationLedger ledger, EntityQueries entities,
                                 TaskRecipients recipients, NotificationSettings settings, Optional<MailSender> mail) {
        this(store, ledger, entities, recipients, settings, mail, Clock.systemUTC());
    }

    public ApprovalNotifications(ApprovalStore store, NotificationLedger ledger, EntityQueries entities,
                                 TaskRecipients recipients, NotificationSettings settings, Optional<MailSender> mail,
                                 Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.entities = entities;
        this.recipients = recipients;
        this.settings = settings;
        this.mail = mail;
        this.clock = clock;
        this.executor = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), threads("portal-approval-notify-"));
        this.executor.allowCoreThreadTimeOut(true);
        this.retries = Executors.newSingleThreadScheduledExecutor(threads("portal-approval-notify-retry-"));
        this.webhooks = new WebhookDelivery(executor, retries, clock);
    }

    public NotificationSettings settings() {
        return settings;
    }

    public NotificationLedger ledger() {
        return ledger;
    }

    @Override
    public void created(ApprovalTask task) {
        submit(NoticeEvent.CREATED, task);
    }

    @Override
    public void escalated(ApprovalTask task) {
        submit(NoticeEvent.ESCALATED, task);
    }

    /**
     * Reminds the approvers of open tasks whose due date is within {@link NotificationSettings#dueSoon()};
     * run now and then, on any number of hosts (each task's reminder is claimed by one). A task
     * created already that close to its due date gets no reminder: its created notice said it.
     * Returns how many reminders it started.
     */
    public int remindDue() {
        if (settings.dueSoon().isZero()) {
            return 0;
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        int started = 0;
        for (ApprovalTask task : store.dueSoon(now, settings.dueSoon(), NoticeEvent.DUE_SOON.wireName(), SWEEP_BATCH)) {
            if (!ledger.claim(task.jobKey(), NoticeEvent.DUE_SOON, NotificationLedger.SWEEP)) {
                continue;
            }
            OffsetDateTime due = task.dueDate().orElseThrow();
            if (!task.createdAt().plus(settings.dueSoon()).isBefore(due)) {
                ledger.failed(task.jobKey(), NoticeEvent.DUE_SOON, NotificationLedger.SWEEP, 0,
                        "created within " + settings.dueSoon() + " of its due date; the created notice told them");
                continue;
            }
            ledger.sent(task.jobKey(), NoticeEvent.DUE_SOON, NotificationLedger.SWEEP, 0);
            submit(NoticeEvent.DUE_SOON, task);
            started++;
        }
        return started;
    }

    private void submit(NoticeEvent event, ApprovalTask task) {
        try {
            executor.execute(() -> send(event, task));
        } catch (RejectedExecutionException e) {
            LOG.warn("approval task {} ({}): {} notification dropped, {} notifications are waiting already"
                    + " (portal.approvals.notifications.queue-capacity)", task.jobKey(), task.stepId(), event.wireName(),
                    executor.getQueue().size());
        }
    }

    private void send(NoticeEvent event, ApprovalTask task) {
        try {
            TaskChannels channels = TaskChannels.of(task, entities, settings);
            boolean byMail = channels.mail() && mail.isPresent();
            if (!byMail && channels.webhooks().isEmpty()) {
                return;
            }
            List<Recipient> people = recipients.of(task, settings.maxRecipients());
            if (event == NoticeEvent.DUE_SOON && task.claimedBy().isPresent()) {
                // somebody took it on: the reminder is theirs alone
                people = people.stream().filter(person -> person.user().equals(task.claimedBy().get())).toList();
            }
            if (byMail) {
                mail(event, task, people);
            }
            for (Webhook webhook : channels.webhooks()) {
                String channel = NotificationLedger.webhook(webhook);
                if (!ledger.claim(task.jobKey(), event, channel)) {
                    continue;
                }
                byte[] body = body(event, task, people);
                String deliveryId = task.jobKey() + ":" + event.wireName() + ":" + webhook.name();
                webhooks.deliver(webhook, deliveryId, event.wireName(), body, new WebhookDelivery.Outcome() {
                    @Override
                    public void delivered(int attempts) {
                        record(() -> ledger.sent(task.jobKey(), event, channel, attempts));
                    }

                    @Override
                    public void gaveUp(int attempts, String reason) {
                        LOG.warn("approval task {} ({}): webhook {} not told of {}: {}", task.jobKey(), task.stepId(),
                                webhook.name(), event.wireName(), reason);
                        record(() -> ledger.failed(task.jobKey(), event, channel, attempts, reason));
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("approval task {} ({}): {} notifications failed: {}", task.jobKey(), task.stepId(), event.wireName(),
                    e.toString());
        }
    }

    private void mail(NoticeEvent event, ApprovalTask task, List<Recipient> people) {
        List<Recipient> addressed = people.stream().filter(person -> person.email().isPresent()).toList();
        if (!ledger.claim(task.jobKey(), event, NotificationLedger.MAIL)) {
            return;
        }
        if (addressed.isEmpty()) {
            ledger.failed(task.jobKey(), event, NotificationLedger.MAIL, 0, people.isEmpty()
                    ? "nobody may decide the task" : "none of " + people.size() + " approver(s) has spec.profile.email");
            return;
        }
        List<String> failures = new ArrayList<>();
        for (Recipient person : addressed) {
            try {
                mail.orElseThrow().send(new Mail(settings.mailFrom().orElse(null), person.email().orElseThrow(),
                        subject(event, task), text(event, task, person)));
            } catch (RuntimeException e) {
                failures.add(person.user().canonical() + ": " + e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            ledger.sent(task.jobKey(), event, NotificationLedger.MAIL, 1);
        } else {
            LOG.warn("approval task {} ({}): {} of {} e-mail(s) not sent: {}", task.jobKey(), task.stepId(),
                    failures.size(), addressed.size(), failures);
            ledger.failed(task.jobKey(), event, NotificationLedger.MAIL, 1, String.join("; ", failures));
        }
    }

    String subject(NoticeEvent event, ApprovalTask task) {
        String what = switch (event) {
            case CREATED -> "Approval needed: ";
            case ESCALATED -> "Approval escalated: ";
            case DUE_SOON -> "Approval due soon: ";
        };
        // one line: a title from the BPMN must not add mail headers
        return (settings.subjectPrefix() + what + task.name()).replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    String text(NoticeEvent event, ApprovalTask task, Recipient person) {
        String why = switch (event) {
            case CREATED -> "A run waits for your approval.";
            case ESCALATED -> "Nobody decided this approval in time, so it was escalated and no longer waits for you.";
            case DUE_SOON -> "This approval falls due soon and still waits for a decision.";
        };
        StringBuilder text = new StringBuilder()
                .append("Hello ").append(person.displayName()).append(",\n\n")
                .append(why).append("\n\n")
                .append("Task:         ").append(task.name()).append('\n')
                .append("Template:     ").append(task.templateRef()).append('\n')
                .append("Requested by: ").append(task.requester()).append('\n');
        task.dueDate().ifPresent(due -> text.append("Due:          ").append(due.withOffsetSameInstant(ZoneOffset.UTC)).append('\n'));
        text.append('\n')
                .append("Open the task: ").append(settings.taskLink(task.jobKey())).append('\n')
                .append("The run:       ").append(settings.runLink(task.runId())).append("\n\n")
                .append("You receive this because you may decide this approval in Portal.\n");
        return text.toString();
    }

    byte[] body(NoticeEvent event, ApprovalTask task, List<Recipient> people) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", event.wireName());
        body.put("occurredAt", OffsetDateTime.now(clock).toString());
        ObjectNode node = body.putObject("task");
        node.put("id", Long.toString(task.jobKey()));
        node.put("name", task.name());
        node.put("stepId", task.stepId());
        node.put("status", task.status().wireName());
        node.put("link", settings.taskLink(task.jobKey()));
        task.assignee().ifPresent(assignee -> node.put("assignee", assignee.canonical()));
        ArrayNode users = node.putArray("candidateUsers");
        task.candidateUsers().forEach(user -> users.add(user.canonical()));
        ArrayNode groups = node.putArray("candidateGroups");
        task.candidateGroups().forEach(group -> groups.add(group.canonical()));
        task.dueDate().ifPresent(due -> node.put("dueDate", due.toString()));
        node.put("createdAt", task.createdAt().toString());
        ObjectNode run = body.putObject("run");
        run.put("id", task.runId().toString());
        run.put("templateRef", task.templateRef());
        run.put("requester", task.requester());
        run.put("link", settings.runLink(task.runId()));
        ArrayNode to = body.putArray("recipients");
        for (Recipient person : people) {
            ObjectNode entry = to.addObject();
            entry.put("ref", person.user().canonical());
            entry.put("displayName", person.displayName());
            person.email().ifPresent(email -> entry.put("email", email));
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void record(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warn("could not record a notification's outcome: {}", e.getMessage());
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        retries.shutdownNow();
        executor.shutdownNow();
        webhooks.close();
    }
}
