package dev.portal.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A user task as its job arrived from Zeebe, before it is in the inbox. */
public record NewApprovalTask(long jobKey, UUID runId, String stepId, long elementInstanceKey, long processInstanceKey,
                              String name, Optional<String> formKey, Optional<EntityRef> assignee,
                              List<EntityRef> candidateUsers, List<EntityRef> candidateGroups,
                              Optional<OffsetDateTime> dueDate, ObjectNode variables, boolean fourEyes) {
}
