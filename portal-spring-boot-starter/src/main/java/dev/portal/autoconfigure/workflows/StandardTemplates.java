package dev.portal.autoconfigure.workflows;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers the standard templates of the portal-bpmn module (a {@code classpath} location) in the
 * catalog once every singleton exists, like the locations of {@code portal.catalog.locations}; the
 * refresh keeps them current when a new version of the jar brings changes.
 */
public final class StandardTemplates implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(StandardTemplates.class);

    private final Catalog catalog;
    private final LocationSpec location;

    public StandardTemplates(Catalog catalog, LocationSpec location) {
        this.catalog = catalog;
        this.location = location;
    }

    public LocationSpec location() {
        return location;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Catalog.Registration registration = catalog.register(location, Location.Origin.CONFIG);
        if (registration.existed() && registration.entities().isEmpty()) {
            log.info("Standard templates from {}: registered before, unchanged", location);
        } else {
            log.info("Standard templates from {}: {}", location, registration.entities());
        }
        for (ProcessingError error : registration.errors()) {
            log.warn("Standard templates: {}", error.message());
        }
    }
}
