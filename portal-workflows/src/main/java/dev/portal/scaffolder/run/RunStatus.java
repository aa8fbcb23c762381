package dev.portal.scaffolder.run;

import java.util.Arrays;
import java.util.Locale;

/** Where a run is; follows its process instance. */
public enum RunStatus {
    /**
     * Recorded, its process instance being created: the run is stored first, so that whatever
     * happens next, the instance (its first job or its end) finds it by the run id.
     */
    STARTING,
    /** The process instance is working (or waiting on a timer or a message). */
    RUNNING,
    /** The process waits at a user task (an approval). */
    WAITING_FOR_APPROVAL,
    /** The process reached an end event; the run's output is final. */
    COMPLETED,
    /** A step failed for good (an incident in Zeebe); a retry may bring it back. */
    FAILED,
    /** Cancelled through the API; the process instance was cancelled. */
    CANCELLED,
    /** An approver rejected the request and the process ended. */
    REJECTED;

    /** The name on the wire and in the database: lower case, words joined by '-'. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether nothing more will happen to the run (but a failed run may be retried). */
    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED || this == REJECTED;
    }

    public static RunStatus fromWireName(String name) {
        return Arrays.stream(values()).filter(status -> status.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown run status '" + name + "'; known: "
                        + Arrays.stream(values()).map(RunStatus::wireName).toList()));
    }
}
