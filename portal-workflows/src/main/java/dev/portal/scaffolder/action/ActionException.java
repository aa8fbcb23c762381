package dev.portal.scaffolder.action;

import java.util.Objects;

/**
 * A business outcome of an action that the process may handle: it becomes a BPMN error with
 * {@link #errorCode()}, which an error boundary event can catch (e.g. {@code portal.repository-exists}).
 * An uncaught one becomes an incident in Zeebe and a failed step in the run.
 */
public class ActionException extends RuntimeException {

    private final String errorCode;

    public ActionException(String errorCode, String message) {
        super(message);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public String errorCode() {
        return errorCode;
    }
}
