package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

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
}
