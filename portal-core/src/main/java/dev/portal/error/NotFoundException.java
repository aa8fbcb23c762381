package dev.portal.error;

/** The entity, location, template, run or task asked for does not exist, or the caller may not know it does (404). */
public class NotFoundException extends PortalException {

    public NotFoundException(String message) {
        super(message);
    }
}
