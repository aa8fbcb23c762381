package dev.portal.scaffolder;

/**
 * A request the Scaffolder refuses; {@link #reason()} tells the REST layer which status fits.
 */
public class ScaffolderException extends RuntimeException {

    /** Why a request was refused. */
    public enum Reason {
        /** The template, run or entity does not exist (404). */
        NOT_FOUND,
        /** The run is not in a state that allows this (409). */
        CONFLICT,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** The workflow engine did not accept or answer the command (503). */
        ENGINE_UNAVAILABLE
    }

    private final Reason reason;

    public ScaffolderException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ScaffolderException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
