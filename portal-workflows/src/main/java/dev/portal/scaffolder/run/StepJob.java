package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 */
public record StepJob(UUID runId, String stepId, String action, long elementInstanceKey, long jobKey,
                      long activation, ObjectNode input) {
}
