package dev.portal.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A user task as its job arrived from Zeebe, before it is in the inbox.
 *
 * @param headers the task's own {@code portal.*} headers (title, four-eyes, notification settings)
 */
public record NewApprovalTask(long jobKey, UUID runId, String stepId, long elementInstanceKey, long processInstanceKey,
                              String name, Optional<String> formKey, Optional<EntityRef> assignee,
                              List<EntityRef> candidateUsers, List<EntityRef> candidateGroups,
                              Optional<OffsetDateTime> dueDate, ObjectNode variables, boolean fourEyes,
                              Map<String, String> headers) {

    public NewApprovalTask {
        headers = Map.copyOf(headers);
    }

    /** A task without {@code portal.*} headers. */
    public NewApprovalTask(long jobKey, UUID runId, String stepId, long elementInstanceKey, long processInstanceKey,
                           String name, Optional<String> formKey, Optional<EntityRef> assignee,
                           List<EntityRef> candidateUsers, List<EntityRef> candidateGroups,
                           Optional<OffsetDateTime> dueDate, ObjectNode variables, boolean fourEyes) {
        this(jobKey, runId, stepId, elementInstanceKey, processInstanceKey, name, formKey, assignee, candidateUsers,
                candidateGroups, dueDate, variables, fourEyes, Map.of());
    }
}
