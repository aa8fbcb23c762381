package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the locations listed in {@code portal.catalog.locations} (origin {@code CONFIG}) once
 * every singleton exists, so their entities are queryable when the application has started.
 *
 * <p>A location that is misconfigured (a type no reader handles, a relative file path) stops
 * start-up with a message naming the property: that is a mistake in the application. A location
 * whose content is bad (missing file, invalid entities) does not: its problems are logged and
 * recorded against the location like any refresh's, and the next refresh tries again.
 */
public class ConfiguredLocations implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredLocations.class);

    private final Catalog catalog;
    private final List<LocationSpec> locations;

    /** @throws IllegalStateException if a location is misconfigured */
    public ConfiguredLocations(Catalog catalog, List<PortalCatalogProperties.Location> configured) {
        this.catalog = catalog;
        this.locations = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            locations.add(check(property(i), configured.get(i)));
        }
    }

    public List<LocationSpec> locations() {
        return List.copyOf(locations);
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (int i = 0; i < locations.size(); i++) {
            LocationSpec spec = locations.get(i);
            Catalog.Registration registration;
            try {
                registration = catalog.register(spec, Location.Origin.CONFIG);
            } catch (IllegalArgumentException e) {
                // The only refusal before reading: no reader for the type. Content problems are data.
                throw new IllegalStateException(property(i) + ".type: " + e.getMessage(), e);
            }
            List<ProcessingError> errors = registration.errors();
            log.info("Catalog location {}: {} entities from {} location(s), {} problem(s)", spec,
                    registration.entities().size(), registration.reports().size(), errors.size());
            errors.forEach(error -> log.warn("Catalog problem in {}: {}", spec, error.message()));
        }
    }

    private static String property(int index) {
        return "portal.catalog.locations[" + index + "]";
    }

    private static LocationSpec check(String property, PortalCatalogProperties.Location location) {
        String type = location.getType();
        String target = location.getTarget();
        if (target == null || target.isBlank()) {
            throw new IllegalStateException(property + ".target must be set");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalStateException(property + ".type must be set");
        }
        if (LocationSpec.FILE.equals(type)) {
            String path = target.startsWith("file://") ? target.substring("file://".length())
                    : target.startsWith("file:") ? target.substring("file:".length()) : target;
            try {
                if (!Path.of(path).isAbsolute()) {
                    throw new IllegalStateException(property + ".target '" + target + "' must be an absolute path"
                            + " (resolve it in configuration, e.g. ${user.dir}/" + path + ")");
                }
            } catch (InvalidPathException e) {
                throw new IllegalStateException(property + ".target '" + target + "' is not a valid path: "
                        + e.getReason());
            }
        }
        return new LocationSpec(type, target);
    }
}
