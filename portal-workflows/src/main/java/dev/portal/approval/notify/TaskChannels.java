package dev.portal.approval.notify;

import dev.portal.approval.ApprovalTask;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which channels one task's notifications use. The task's own header wins over its template's
 * annotation, which wins over the global settings:
 * <ul>
 * <li>{@value #MAIL_HEADER} (header) / {@value #MAIL_ANNOTATION} (annotation): {@code false} turns
 * e-mail off, {@code true} on;</li>
 * <li>{@value #WEBHOOKS_HEADER} / {@value #WEBHOOKS_ANNOTATION}: the configured webhooks to call,
 * by name, comma-separated, or {@code none}. Without it, every webhook configured as a default.</li>
 * </ul>
 * A task can only name webhooks the host configured: a template author cannot send task data (or
 * the signing secret's signatures) anywhere else.
 *
 * @param mail     whether to send e-mail
 * @param webhooks the webhooks to call
 */
public record TaskChannels(boolean mail, List<Webhook> webhooks) {

    public static final String MAIL_HEADER = "portal.notify.mail";
    public static final String WEBHOOKS_HEADER = "portal.notify.webhooks";
    public static final String MAIL_ANNOTATION = "portal.dev/approval-mail";
    public static final String WEBHOOKS_ANNOTATION = "portal.dev/approval-webhooks";

    private static final Logger LOG = LoggerFactory.getLogger(TaskChannels.class);

    public TaskChannels {
        webhooks = List.copyOf(webhooks);
    }

    public boolean none() {
        return !mail && webhooks.isEmpty();
    }

    /** The channels for {@code task}, from its headers, its template's annotations and {@code settings}. */
    public static TaskChannels of(ApprovalTask task, EntityQueries entities, NotificationSettings settings) {
        Map<String, String> annotations = template(task, entities);
        String mailSetting = Optional.ofNullable(task.headers().get(MAIL_HEADER)).orElse(annotations.get(MAIL_ANNOTATION));
        boolean mail = mailSetting == null ? settings.mail() : !"false".equalsIgnoreCase(mailSetting.trim());
        String named = Optional.ofNullable(task.headers().get(WEBHOOKS_HEADER)).orElse(annotations.get(WEBHOOKS_ANNOTATION));
        List<Webhook> webhooks = new ArrayList<>();
        if (named == null) {
            settings.webhooks().stream().filter(Webhook::byDefault).forEach(webhooks::add);
        } else if (!"none".equalsIgnoreCase(named.trim())) {
            Map<String, Webhook> byName = settings.webhooksByName();
            for (String name : named.split(",")) {
                String trimmed = name.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                Webhook webhook = byName.get(trimmed);
                if (webhook == null) {
                    LOG.warn("approval task {} ({}) names webhook '{}', which is not configured"
                            + " (portal.approvals.notifications.webhooks.{}.*); it is skipped", task.jobKey(), task.stepId(), trimmed, trimmed);
                } else if (!webhooks.contains(webhook)) {
                    webhooks.add(webhook);
                }
            }
        }
        return new TaskChannels(mail, webhooks);
    }

    private static Map<String, String> template(ApprovalTask task, EntityQueries entities) {
        if (task.templateRef() == null) {
            return Map.of();
        }
        Optional<StoredEntity> template;
        try {
            template = entities.byRef(EntityRef.parse(task.templateRef()));
        } catch (RuntimeException e) {
            LOG.debug("template {} of task {} not read: {}", task.templateRef(), task.jobKey(), e.getMessage());
            return Map.of();
        }
        if (template.isEmpty()) {
            return Map.of();
        }
        JsonNode annotations = template.get().entity().metadata().path("annotations");
        Map<String, String> values = new HashMap<>();
        for (String key : List.of(MAIL_ANNOTATION, WEBHOOKS_ANNOTATION)) {
            if (annotations.path(key).isTextual()) {
                values.put(key, annotations.path(key).asText());
            }
        }
        return values;
    }
}
