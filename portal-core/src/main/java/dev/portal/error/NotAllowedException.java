package dev.portal.error;

/** The caller may not do this; the message names the rule (403). */
public class NotAllowedException extends PortalException {

    public NotAllowedException(String message) {
        super(message);
    }
}
