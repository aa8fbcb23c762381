package dev.portal.approval;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * One thing that happened to an approval task.
 *
 * @param action {@code created}, {@code claimed}, {@code unclaimed}, {@code approved}, {@code rejected},
 *               {@code escalated} or {@code cancelled}
 * @param actor  who did it (a user ref, or {@code portal} for what the engine did)
 */
public record AuditEntry(long id, UUID taskId, long jobKey, UUID runId, String action, String actor, Optional<String> comment,
                         OffsetDateTime at) {
}
