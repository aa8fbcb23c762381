package dev.portal.approval;

import java.util.Map;

/** What the inbox needs from the workflow engine; the Zeebe adapter implements it. */
public interface ApprovalEngine {

    /** Completes the user task's job. @throws JobGoneException if the engine no longer has it */
    void complete(long jobKey, Map<String, Object> variables);

    /** Whether the engine still has the job (and keeps it with this worker a while longer). */
    boolean exists(long jobKey);

    /** The job is gone: completed already, or its task was interrupted (a timer, a cancellation). */
    class JobGoneException extends RuntimeException {
        public JobGoneException(long jobKey, Throwable cause) {
            super("the engine has no job " + jobKey + " any more", cause);
        }
    }
}
