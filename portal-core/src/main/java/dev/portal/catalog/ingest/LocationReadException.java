package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

/** A location's source could not be read; the entities it emitted before are kept. */
public class LocationReadException extends RuntimeException {

    public LocationReadException(LocationSpec location, String reason) {
        super("cannot read " + location.ref() + ": " + reason);
    }

    public LocationReadException(LocationSpec location, String reason, Throwable cause) {
        super("cannot read " + location.ref() + ": " + reason, cause);
    }
}
