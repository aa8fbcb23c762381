package dev.portal.catalog;

import dev.portal.catalog.model.LocationSpec;

/** A location the {@link LocationPolicy} refuses was about to be registered. */
public class LocationNotAllowedException extends RuntimeException {

    private final LocationSpec location;

    public LocationNotAllowedException(LocationSpec location, String reason) {
        super(location.ref() + " may not be read: " + reason);
        this.location = location;
    }

    public LocationSpec location() {
        return location;
    }
}
