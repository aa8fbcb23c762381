package dev.portal.ui.approvals;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;
import dev.portal.ui.runs.RunPage;
import dev.portal.ui.runs.RunView;

import java.util.List;

/**
 * An approval task: what is asked (the request's values, who asked, where the run stands on its
 * diagram), the task's Camunda form, the decision (for who may decide), and the run's audit trail.
 *
 * @param status the task's status ({@code open}, {@code approved}, ...)
 * @param deciders who may decide it, as the process assigned it
 * @param formSchema the Camunda form's JSON for form-js, or {@code null} without one
 * @param formData the process variables the form reads (JSON)
 * @param formProblem why the task's form cannot be shown, or {@code null}
 * @param decideAction where Approve and Reject post, or {@code null} when the caller may not decide
 * @param refusal why the caller may not decide, or {@code null}
 * @param claimAction where "Claim" posts, or {@code null}
 * @param unclaimAction where "Release" posts, or {@code null}
 * @param decision the decision, once made
 */
public record TaskPage(UiShell shell, String id, String name, String status, String stepId, RunView run,
                       String diagramHref, List<RunPage.Value> values, String createdAt, String dueDate, boolean overdue,
                       List<String> deciders, String claimedBy, String formSchema, String formData, String formProblem,
                       String decideAction, String refusal, String claimAction, String unclaimAction,
                       DecisionView decision, List<AuditLine> audit, List<Link> otherTasks) {

    public record DecisionView(boolean approved, Link approver, String comment, String decidedAt, List<RunPage.Value> variables) {
    }

    public record AuditLine(String at, String step, String action, Link actor, String comment) {
    }
}
