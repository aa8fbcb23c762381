package dev.portal.sample;

import dev.portal.approval.ApprovalListener;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where a real host would send an e-mail or a chat message about approval tasks, the sample logs.
 * Declaring an {@link ApprovalListener} bean is all it takes.
 */
@Component
class LoggingApprovalListener implements ApprovalListener {

    private static final Logger log = LoggerFactory.getLogger(LoggingApprovalListener.class);

    @Override
    public void created(ApprovalTask task) {
        log.info("Approval needed: task {} '{}' of run {} (requested by {}) for {}{}", task.id(), task.name(),
                task.runId(), task.requester(), task.candidateGroups(), task.candidateUsers().isEmpty() ? "" : " " + task.candidateUsers());
    }

    @Override
    public void decided(ApprovalTask task, Decision decision) {
        log.info("Approval task {} of run {} {} by {}{}", task.id(), task.runId(),
                decision.approved() ? "approved" : "rejected", decision.approver(),
                decision.comment().map(comment -> ": " + comment).orElse(""));
    }

    @Override
    public void escalated(ApprovalTask task) {
        log.info("Approval task {} of run {} escalated: nobody decided it in time", task.id(), task.runId());
    }
}
