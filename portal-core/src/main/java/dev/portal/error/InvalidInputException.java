package dev.portal.error;

/** The caller's input breaks a rule; the message names the offending item and the rule (400). */
public class InvalidInputException extends PortalException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
