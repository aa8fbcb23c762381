package dev.portal.catalog;

import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.NotAllowedException;

/** A location the {@link LocationPolicy} refuses was about to be registered. */
public class LocationNotAllowedException extends NotAllowedException {

    private final LocationSpec location;

    public LocationNotAllowedException(LocationSpec location, String reason) {
        super(location + " may not be read: " + LocationSpec.redact(reason));
        this.location = location;
    }

    public LocationSpec location() {
        return location;
    }
}
