package dev.portal.error;

/** The request is well formed but the current state does not allow it: already exists, already decided, changed since read (409). */
public class ConflictException extends PortalException {

    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
