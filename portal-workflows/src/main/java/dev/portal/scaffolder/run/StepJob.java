package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.UUID;

/**
 * A unit of work for an action, as the engine adapter hands it over.
 *
 * @param runId              the run (process variable {@code portalRunId})
 * @param stepId             the BPMN element id
 * @param action             the action id (the job type)
 * @param elementInstanceKey the element instance: the same for every delivery of this job
 * @param jobKey             the job: the same when Zeebe hands it to another worker after a timeout
 * @param activation         this delivery of the job: the deadline Zeebe set when it activated it
 *                           (epoch milliseconds), new with every activation
 * @param input              the raw input: task headers and input variables, before validation
 * @param instance           the process instance the job belongs to, if the adapter knows it: a run
 *                           whose start did not record its instance (the host died in between) gets it from here
 */
public record StepJob(UUID runId, String stepId, String action, long elementInstanceKey, long jobKey,
                      long activation, ObjectNode input, Optional<ProcessInstanceRef> instance) {

    public StepJob(UUID runId, String stepId, String action, long elementInstanceKey, long jobKey, long activation,
                   ObjectNode input) {
        this(runId, stepId, action, elementInstanceKey, jobKey, activation, input, Optional.empty());
    }
}
