package dev.portal.approval;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * A decision on an approval task. Recorded once, never changed.
 *
 * @param taskId    the task decided
 * @param jobKey    its Zeebe job, which the decision completes
 * @param approver  who decided (a user ref)
 * @param variables form variables sent along with the decision
 * @param appliedAt when Zeebe accepted the completion; empty while it has not (yet)
 */
public record Decision(UUID taskId, long jobKey, boolean approved, Optional<String> comment, String approver, ObjectNode variables,
                       OffsetDateTime decidedAt, Optional<OffsetDateTime> appliedAt) {
}
