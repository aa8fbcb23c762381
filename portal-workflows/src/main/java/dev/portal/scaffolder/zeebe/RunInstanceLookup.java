package dev.portal.scaffolder.zeebe;

import dev.portal.scaffolder.run.ProcessInstanceRef;

import java.util.Optional;
import java.util.UUID;

/**
 * Finds the process instance a run started, by the run id it carries ({@value ZeebeActionWorkers#RUN_ID_VARIABLE}
 * at its root): for a run still {@code starting} whose host died between creating the instance
 * and recording it, and whose instance has not reached a job yet (a timer first, say). A cluster
 * answers through its search API ({@link SearchApiRunInstanceLookup}); the in-JVM engine through
 * its record stream ({@link RecordStreamRunInstanceLookup}).
 */
@FunctionalInterface
public interface RunInstanceLookup {

    /** Finds nothing: the sweep then ends such a run as failed, and its first job brings it back. */
    RunInstanceLookup NONE = (runId, processId) -> Optional.empty();

    /** The root instance of {@code processId} whose run id is {@code runId}, if the engine knows one. */
    Optional<ProcessInstanceRef> find(UUID runId, String processId);
}
