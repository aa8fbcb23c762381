package dev.portal.approval;

/** A refused inbox operation; {@link #reason()} tells the REST layer which status fits. */
public class ApprovalException extends RuntimeException {

    /** Why. */
    public enum Reason {
        /** No such task (404). */
        NOT_FOUND,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** The task is no longer open, already decided, or claimed by somebody else (409). */
        CONFLICT,
        /** The engine did not take the completion; the decision stays recorded and is applied later (503). */
        ENGINE_UNAVAILABLE
    }

    private final Reason reason;

    public ApprovalException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
