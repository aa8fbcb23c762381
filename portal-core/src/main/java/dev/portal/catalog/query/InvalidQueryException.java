package dev.portal.catalog.query;

import dev.portal.error.InvalidInputException;

/** A filter, predicate, order or cursor a caller sent cannot be understood; the message says why. */
public class InvalidQueryException extends InvalidInputException {

    public InvalidQueryException(String message) {
        super(message);
    }

    public InvalidQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
