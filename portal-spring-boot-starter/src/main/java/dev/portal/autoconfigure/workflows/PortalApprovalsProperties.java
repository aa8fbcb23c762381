package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The approval inbox: BPMN user tasks (job-worker implementation) that runs wait at. */
@ConfigurationProperties(prefix = "portal.approvals")
public class PortalApprovalsProperties {

    /** Whether to take user tasks into the approval inbox and serve /api/approvals. */
    private boolean enabled = true;

    /**
     * How long a user-task job stays with the portal before Zeebe would offer it again; every
     * reconcile extends it, so open approvals never move to another worker.
     */
    private Duration jobTimeout = Duration.ofDays(7);

    /**
     * How long a user-task job stays with the instance that took it until the inbox has recorded it:
     * a task whose instance died in between is offered to another instance after this long.
     */
    private Duration activationTimeout = ZeebeApprovals.DEFAULT_ACTIVATION_TIMEOUT;

    /** Whether the requester of a run is barred from deciding its approvals (a task header can turn it off). */
    private boolean fourEyes = true;

    /** Whether members of a child group count as members of its parent groups (spec.parent). */
    private boolean nestedGroups = false;

    /**
     * Whether one person decides at most one approval task of a run, so that a process asking two
     * parties (decommission-component: the owners and the platform) gets two people.
     */
    private boolean separateDeciders = true;

    /**
     * Interval between reconciles: decisions Zeebe has not accepted are applied again, and open
     * tasks whose job vanished (an escalation timer fired) are closed as escalated.
     */
    private Duration reconcileInterval = Duration.ofSeconds(30);

    /** Telling approvers that a task waits for them. */
    private final Notifications notifications = new Notifications();

    public Notifications getNotifications() {
        return notifications;
    }

    public Duration getActivationTimeout() {
        return activationTimeout;
    }

    public void setActivationTimeout(Duration activationTimeout) {
        this.activationTimeout = activationTimeout;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getJobTimeout() {
        return jobTimeout;
    }

    public void setJobTimeout(Duration jobTimeout) {
        this.jobTimeout = jobTimeout;
    }

    public boolean isFourEyes() {
        return fourEyes;
    }

    public void setFourEyes(boolean fourEyes) {
        this.fourEyes = fourEyes;
    }

    public boolean isSeparateDeciders() {
        return separateDeciders;
    }

    public void setSeparateDeciders(boolean separateDeciders) {
        this.separateDeciders = separateDeciders;
    }

    public boolean isNestedGroups() {
        return nestedGroups;
    }

    public void setNestedGroups(boolean nestedGroups) {
        this.nestedGroups = nestedGroups;
    }

    public Duration getReconcileInterval() {
        return reconcileInterval;
    }

    public void setReconcileInterval(Duration reconcileInterval) {
        this.reconcileInterval = reconcileInterval;
    }

    /**
     * Notifications to a task's approvers when it reaches the inbox, is escalated away from them,
     * or falls due soon ({@code portal.approvals.notifications.*}).
     */
    public static class Notifications {

        /** Whether to tell approvers of their tasks by e-mail and webhooks. */
        private boolean enabled = true;

        /**
         * The portal's external address, e.g. https://portal.example.com, that links in
         * notifications start with (then the context path and portal.ui.path).
         */
        private String baseUrl;

        /** How long before a task's due date its approvers are reminded; 0 for never. */
        private Duration dueSoon = Duration.ofDays(1);

        /** Interval between checks for open tasks falling due. */
        private Duration reminderInterval = Duration.ofMinutes(1);

        /** How many notifications are sent at once, each on a thread of its own. */
        private int threads = 2;

        /** How many notifications may wait for a thread; beyond that new ones are dropped and logged. */
        private int queueCapacity = 1000;

        /** The most people one task's e-mail goes to. */
        private int maxRecipients = 200;

        /** E-mail, sent through the host's JavaMailSender (spring.mail.*) when there is one. */
        private final Mail mail = new Mail();

        /**
         * Webhooks by name; a task header (portal.notify.webhooks) or a template annotation
         * (portal.dev/approval-webhooks) picks among them.
         */
        private final Map<String, Webhook> webhooks = new LinkedHashMap<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public Duration getDueSoon() {
            return dueSoon;
        }

        public void setDueSoon(Duration dueSoon) {
            this.dueSoon = dueSoon;
        }

        public Duration getReminderInterval() {
            return reminderInterval;
        }

        public void setReminderInterval(Duration reminderInterval) {
            this.reminderInterval = reminderInterval;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        public int getMaxRecipients() {
            return maxRecipients;
        }

        public void setMaxRecipients(int maxRecipients) {
            this.maxRecipients = maxRecipients;
        }

        public Mail getMail() {
            return mail;
        }

        public Map<String, Webhook> getWebhooks() {
            return webhooks;
        }
    }

    /** Approval e-mail. */
    public static class Mail {

        /** Whether to send e-mail (a task header portal.notify.mail or a template annotation may turn it off or on). */
        private boolean enabled = true;

        /** The sender address; without it, the mail session's default (spring.mail.properties.mail.from). */
        private String from;

        /** Put before every subject. */
        private String subjectPrefix = "[Portal] ";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getFrom() {
            return from;
        }

        public void setFrom(String from) {
            this.from = from;
        }

        public String getSubjectPrefix() {
            return subjectPrefix;
        }

        public void setSubjectPrefix(String subjectPrefix) {
            this.subjectPrefix = subjectPrefix;
        }
    }

    /** One webhook receiver. */
    public static class Webhook {

        /** Where to POST the JSON notifications. */
        private URI url;

        /** Key of the HMAC-SHA256 signature in X-Portal-Signature; never logged. */
        private String secret;

        /** Whether tasks that name no webhooks are sent to this one. */
        private boolean byDefault = true;

        /** How often a delivery is tried in all (the first attempt included) before it is given up. */
        private int maxAttempts = 5;

        /** Wait before the first retry; it doubles with every further one. */
        private Duration backoff = Duration.ofSeconds(1);

        /** How long one attempt may take, connecting included. */
        private Duration timeout = Duration.ofSeconds(10);

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public boolean isByDefault() {
            return byDefault;
        }

        public void setByDefault(boolean byDefault) {
            this.byDefault = byDefault;
        }

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoff() {
            return backoff;
        }

        public void setBackoff(Duration backoff) {
            this.backoff = backoff;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
