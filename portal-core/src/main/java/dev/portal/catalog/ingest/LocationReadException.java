package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;

/** A location's source could not be read; the entities it emitted before are kept. */
public class LocationReadException extends InvalidInputException {

    public LocationReadException(LocationSpec location, String reason) {
        super(LocationSpec.redact("cannot read " + location + ": " + reason));
    }

    public LocationReadException(LocationSpec location, String reason, Throwable cause) {
        super(LocationSpec.redact("cannot read " + location + ": " + reason), cause);
    }
}
