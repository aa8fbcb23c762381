package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * What the store says when a job for a step arrives.
 *
 * @param attempt        the attempt number: the same for a redelivered job, one more after a failure
 * @param delivery       which delivery of the attempt's job this is: 1, and one more each time the
 *                       job comes back from a worker that stopped answering
 * @param recordedOutput the output of this very element instance, if it already completed: the job
 *                       is a redelivery and is completed with this output without running the action
 */
public record StepStart(int attempt, int delivery, Optional<ObjectNode> recordedOutput) {
}
