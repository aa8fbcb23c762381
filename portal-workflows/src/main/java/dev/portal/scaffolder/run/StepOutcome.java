package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How a step ended; the engine adapter turns it into the matching job command. */
public sealed interface StepOutcome {

    /** Done: complete the job with {@code output}; {@code replayed} when recorded by an earlier delivery. */
    record Completed(ObjectNode output, boolean replayed) implements StepOutcome {
    }

    /** A business outcome for the BPMN to handle: throw a BPMN error. */
    record BusinessError(String errorCode, String message) implements StepOutcome {
    }

    /** A failure: retry if {@code retryable} and retries are left, otherwise raise an incident. */
    record Failed(String message, boolean retryable, int attempt) implements StepOutcome {
    }
}
