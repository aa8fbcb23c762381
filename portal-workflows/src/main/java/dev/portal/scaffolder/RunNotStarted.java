package dev.portal.scaffolder;

import dev.portal.error.ConflictException;
import dev.portal.error.UnavailableException;

import java.util.UUID;

/**
 * A start the engine refused or did not answer. The run was recorded before the engine was asked,
 * so it stays, ended as failed at step {@code start} with the reason and {@code finishedAt}: the
 * requester finds it in their runs, and the error names it ({@link #runId()}).
 */
public sealed interface RunNotStarted permits RunNotStarted.NoProcess, RunNotStarted.EngineUnavailable {

    /** The failed run this start left. */
    UUID runId();

    /** The engine has no process by the template's id (409). */
    final class NoProcess extends ConflictException implements RunNotStarted {
        private final UUID runId;

        public NoProcess(UUID runId, String message, Throwable cause) {
            super(message, cause);
            this.runId = runId;
        }

        @Override
        public UUID runId() {
            return runId;
        }
    }

    /** The engine did not answer or refused for a reason of its own (503). */
    final class EngineUnavailable extends UnavailableException implements RunNotStarted {
        private final UUID runId;

        public EngineUnavailable(UUID runId, String message, Throwable cause) {
            super(message, cause);
            this.runId = runId;
        }

        @Override
        public UUID runId() {
            return runId;
        }
    }
}
