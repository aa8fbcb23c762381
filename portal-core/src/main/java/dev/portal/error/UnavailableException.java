package dev.portal.error;

/**
 * A system Portal depends on (the workflow engine, the database under a statement timeout) did
 * not accept or answer the request in time; trying again later may succeed (503).
 */
public class UnavailableException extends PortalException {

    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
