package dev.portal.scaffolder.run;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of a run's event log.
 *
 * @param id      the event's number within its run (1, 2, ...), in the order the events committed,
 *                so {@code ?after=id} (or {@code Last-Event-ID}) continues exactly after it; numbers
 *                may skip (a duplicate dropped), never go back
 * @param type    {@code log}, {@code step-started}, {@code step-waiting} (an approval task waits),
 *                {@code step-completed}, {@code step-failed}, {@code step-error} (a BPMN error thrown),
 *                {@code status} or {@code recovered} (a failed run moves on again)
 * @param level   {@code info}, {@code warn} or {@code error}
 * @param stepId  the step it belongs to, if any
 */
public record RunEvent(long id, UUID runId, Optional<String> stepId, String type, String level, String message,
                       OffsetDateTime createdAt) {
}
