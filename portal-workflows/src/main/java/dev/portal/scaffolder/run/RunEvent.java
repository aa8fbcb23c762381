package dev.portal.scaffolder.run;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * One entry of a run's event log.
 *
 * @param id      increasing within the log; {@code ?after=id} continues from here
 * @param type    {@code log}, {@code step-started}, {@code step-completed}, {@code step-failed},
 *                {@code step-error} (a BPMN error thrown) or {@code status}
 * @param level   {@code info}, {@code warn} or {@code error}
 * @param stepId  the step it belongs to, if any
 */
public record RunEvent(long id, UUID runId, Optional<String> stepId, String type, String level, String message,
                       OffsetDateTime createdAt) {
}
