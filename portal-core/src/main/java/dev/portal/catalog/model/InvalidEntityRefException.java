package dev.portal.catalog.model;

import dev.portal.error.InvalidInputException;

/** A string that does not read as an entity ref. */
public class InvalidEntityRefException extends InvalidInputException {

    private final String ref;

    public InvalidEntityRefException(String ref, String reason) {
        super("'" + ref + "' is not a valid entity ref: " + reason);
        this.ref = ref;
    }

    /** The offending ref as written. */
    public String ref() {
        return ref;
    }
}
