package dev.portal.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A user task of a run, waiting for (or past) a decision.
 *
 * @param jobKey          the Zeebe job of the user task; the task's id
 * @param runId           the run it belongs to
 * @param requester       who requested the run (four-eyes compares against this)
 * @param templateRef     the run's template
 * @param stepId          the BPMN element id of the user task
 * @param name            what the approver is asked ({@code portal.title} header, else the element id)
 * @param formKey         the Camunda form to show, if any
 * @param assignee        the user the task is assigned to
 * @param candidateUsers  users who may decide
 * @param candidateGroups groups whose members may decide
 * @param dueDate         when it is due, if set
 * @param variables       the process variables the form needs
 * @param fourEyes        whether the requester is barred from deciding
 * @param claimedBy       who claimed it, if anybody
 * @param headers         the task's own {@code portal.*} headers (title, four-eyes, notification settings)
 */
public record ApprovalTask(long jobKey, UUID runId, String requester, String templateRef, String stepId, String name,
                           Optional<String> formKey, Optional<EntityRef> assignee, List<EntityRef> candidateUsers,
                           List<EntityRef> candidateGroups, Optional<OffsetDateTime> dueDate, ObjectNode variables,
                           boolean fourEyes, ApprovalStatus status, Optional<EntityRef> claimedBy,
                           OffsetDateTime createdAt, Optional<OffsetDateTime> closedAt, Map<String, String> headers) {

    public ApprovalTask {
        candidateUsers = List.copyOf(candidateUsers);
        candidateGroups = List.copyOf(candidateGroups);
        headers = Map.copyOf(headers);
    }
}
