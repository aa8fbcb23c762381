package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of a template.
 *
 * @param id                 the run id (also the process variable {@code portalRunId})
 * @param templateRef        the template's entity ref
 * @param templateVersion    {@code <entity etag>@<BPMN version>} when the run started
 * @param processId          the BPMN process id
 * @param processInstanceKey the Zeebe process instance, once created
 * @param values             the validated parameter values
 * @param requester          who started the run (an entity ref)
 * @param status             where the run is
 * @param failedStep         the step that failed, for a failed run
 * @param errorMessage       why it failed
 * @param output             what the steps produced (later steps win on equal keys)
 * @param steps              the steps portal actions worked on, in start order
 */
public record Run(UUID id, String templateRef, String templateVersion, String processId,
                  Optional<Long> processInstanceKey, ObjectNode values, String requester, RunStatus status,
                  Optional<String> failedStep, Optional<String> errorMessage, ObjectNode output,
                  List<Step> steps, OffsetDateTime createdAt, OffsetDateTime updatedAt,
                  Optional<OffsetDateTime> finishedAt) {

    public Run {
        steps = List.copyOf(steps);
    }

    /**
     * A step of a run.
     *
     * @param stepId  the BPMN element id
     * @param action  the action (job type) that worked on it
     * @param status  {@code running}, {@code completed} or {@code failed}
     * @param attempt how many times it was started (a redelivered job is the same attempt)
     */
    public record Step(String stepId, String action, String status, int attempt, Optional<ObjectNode> output,
                       Optional<String> errorMessage, OffsetDateTime startedAt,
                       Optional<OffsetDateTime> finishedAt) {
    }
}
