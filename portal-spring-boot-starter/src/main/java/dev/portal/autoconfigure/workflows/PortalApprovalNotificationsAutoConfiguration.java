package dev.portal.autoconfigure.workflows;

import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.notify.ApprovalNotifications;
import dev.portal.approval.notify.MailSender;
import dev.portal.approval.notify.NotificationLedger;
import dev.portal.approval.notify.NotificationSettings;
import dev.portal.approval.notify.TaskRecipients;
import dev.portal.approval.notify.Webhook;
import dev.portal.catalog.persistence.EntityQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSender;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Approvers told of their tasks ({@code portal.approvals.notifications.*}): an
 * {@link ApprovalNotifications} listener on the approval inbox, e-mail through the host's
 * {@link JavaMailSender} when it has one, the configured webhooks, and the due-date reminders.
 */
@AutoConfiguration(after = PortalWorkflowsAutoConfiguration.class,
        afterName = "org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration")
@ConditionalOnBean({ApprovalStore.class, ApprovalPolicy.class, PortalWorkflowsDatabase.class})
@ConditionalOnProperty(prefix = "portal.approvals.notifications", name = "enabled", matchIfMissing = true)
public class PortalApprovalNotificationsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PortalApprovalNotificationsAutoConfiguration.class);

    /**
     * E-mail through the host's JavaMailSender, when there is one (also with mail.enabled=false:
     * a task header may still turn e-mail on for its task).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.mail.javamail.JavaMailSender")
    @ConditionalOnBean(JavaMailSender.class)
    static class MailConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MailSender portalApprovalMailSender(JavaMailSender sender) {
            return new JavaMailApprovalSender(sender);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    NotificationLedger portalNotificationLedger(PortalWorkflowsDatabase database) {
        return new NotificationLedger(database.dsl());
    }

    @Bean
    @ConditionalOnMissingBean
    ApprovalNotifications portalApprovalNotifications(ApprovalStore store, NotificationLedger ledger, EntityQueries entities,
                                                      ApprovalPolicy policy, PortalApprovalsProperties properties,
                                                      ObjectProvider<MailSender> mail, Environment environment) {
        PortalApprovalsProperties.Notifications notifications = properties.getNotifications();
        NotificationSettings settings = new NotificationSettings(uiBase(notifications, environment),
                notifications.getMail().isEnabled(), Optional.ofNullable(notifications.getMail().getFrom()).filter(s -> !s.isBlank()),
                notifications.getMail().getSubjectPrefix(), webhooks(notifications.getWebhooks()), notifications.getDueSoon(),
                notifications.getThreads(), notifications.getQueueCapacity(), notifications.getMaxRecipients());
        TaskRecipients recipients = new TaskRecipients(entities, policy, properties.isNestedGroups(),
                properties.isSeparateDeciders() ? TaskRecipients.othersDeciders(store) : task -> Set.of());
        return new ApprovalNotifications(store, ledger, entities, recipients, settings, Optional.ofNullable(mail.getIfAvailable()));
    }

    @Bean
    @ConditionalOnMissingBean
    ApprovalReminders portalApprovalReminders(ApprovalNotifications notifications, PortalApprovalsProperties properties) {
        return new ApprovalReminders(notifications, properties.getNotifications().getReminderInterval());
    }

    /** {@code <base-url><context path><portal.ui.path>}: where the UI's pages are, as UiPaths addresses them. */
    static String uiBase(PortalApprovalsProperties.Notifications notifications, Environment environment) {
        String base = notifications.getBaseUrl();
        if (base == null || base.isBlank()) {
            log.warn("portal.approvals.notifications.base-url is not set: links in approval notifications are paths"
                    + " without the portal's address");
            base = "";
        }
        base = trimSlash(base.strip());
        String contextPath = trimSlash(environment.getProperty("server.servlet.context-path", ""));
        String uiPath = trimSlash(environment.getProperty("portal.ui.path", "/portal"));
        return base + contextPath + uiPath;
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static List<Webhook> webhooks(Map<String, PortalApprovalsProperties.Webhook> configured) {
        List<Webhook> webhooks = new ArrayList<>();
        configured.forEach((name, webhook) -> webhooks.add(new Webhook(name, webhook.getUrl(), webhook.getSecret(),
                webhook.getMaxAttempts(), webhook.getBackoff(), webhook.getTimeout(), webhook.isByDefault())));
        return webhooks;
    }
}
