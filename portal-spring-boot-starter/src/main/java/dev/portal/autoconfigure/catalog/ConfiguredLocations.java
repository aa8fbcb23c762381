package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.ConfiguredLocation;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.error.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Brings the catalog's configured locations in line with the application's configuration once every
 * singleton exists, so their entities are queryable when the application has started: the
 * locations of {@code portal.catalog.locations} and those other parts of the application contribute
 * (the standard templates) are registered as configuration, and configured locations no longer
 * listed are removed, as Backstage's config location provider does.
 *
 * <p>A location that is misconfigured (a type no reader handles, a relative file path, a password
 * in a URL) stops start-up with a message naming the property: that is a mistake in the
 * application. A location whose content is bad (missing file, invalid entities) does not: its
 * problems are logged and recorded against the location like any refresh's, and the next refresh
 * tries again.
 */
public class ConfiguredLocations implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredLocations.class);

    /**
     * Locations another part of the application registers as configuration, like the standard
     * templates: listed with {@code portal.catalog.locations} at every start, removed when no longer
     * contributed.
     */
    @FunctionalInterface
    public interface Contributor {

        /** The locations to register; contributed locations are not trusted with people and teams. */
        List<LocationSpec> locations();
    }

    private final Catalog catalog;
    private final List<ConfiguredLocation> locations;
    private final List<ConfiguredLocation> providers;
    private final Supplier<Stream<Contributor>> contributors;

    /** @throws IllegalStateException if a location is misconfigured */
    public ConfiguredLocations(Catalog catalog, List<PortalCatalogProperties.Location> configured,
                               Supplier<Stream<Contributor>> contributors) {
        this(catalog, configured, List.of(), contributors);
    }

    /**
     * @param providers the locations of {@code portal.catalog.providers} (an LDAP directory, a discovery),
     *     with the trust each provider is configured with
     * @throws IllegalStateException if a location is misconfigured
     */
    public ConfiguredLocations(Catalog catalog, List<PortalCatalogProperties.Location> configured,
                               List<ConfiguredLocation> providers, Supplier<Stream<Contributor>> contributors) {
        this.catalog = catalog;
        this.contributors = contributors;
        this.locations = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            locations.add(new ConfiguredLocation(check(property(i), configured.get(i)), configured.get(i).isTrusted()));
        }
        this.providers = List.copyOf(providers);
    }

    /** The locations of {@code portal.catalog.locations}. */
    public List<LocationSpec> locations() {
        return locations.stream().map(ConfiguredLocation::spec).toList();
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (int i = 0; i < locations.size(); i++) {
            String type = locations.get(i).spec().type();
            if (!catalog.supports(type)) {
                throw new IllegalStateException(property(i) + ".type: location type '" + type + "' is not supported");
            }
        }
        for (ConfiguredLocation provider : providers) {
            if (!catalog.supports(provider.spec().type())) {
                throw new IllegalStateException("portal.catalog.providers: " + provider.spec() + " needs a reader of"
                        + " location type '" + provider.spec().type() + "'"
                        + (provider.spec().type().equals("ldap-org") ? ", which needs com.unboundid:unboundid-ldapsdk"
                        + " on the class path" : ""));
            }
        }
        List<ConfiguredLocation> all = new ArrayList<>(locations);
        providers.stream().filter(provider -> all.stream().noneMatch(listed -> listed.spec().equals(provider.spec())))
                .forEach(all::add);
        contributors.get().flatMap(contributor -> contributor.locations().stream())
                .map(spec -> new ConfiguredLocation(spec, false))
                .filter(contributed -> all.stream().noneMatch(listed -> listed.spec().equals(contributed.spec())))
                .forEach(all::add);
        List<Catalog.Registration> registrations;
        try {
            registrations = catalog.syncConfigured(all);
        } catch (InvalidInputException e) {
            // no reader for a type, a password in a URL: refused before anything was read
            throw new IllegalStateException("portal.catalog.locations: " + e.getMessage(), e);
        }
        for (int i = 0; i < registrations.size(); i++) {
            Catalog.Registration registration = registrations.get(i);
            LocationSpec spec = all.get(i).spec();
            List<ProcessingError> errors = registration.errors();
            if (registration.existed() && registration.entities().isEmpty() && errors.isEmpty()) {
                log.info("Catalog location {}: registered before, unchanged", spec);
            } else {
                log.info("Catalog location {}: {} entities from {} location(s), {} problem(s)", spec,
                        registration.entities().size(), registration.reports().size(), errors.size());
            }
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
        LocationSpec spec = new LocationSpec(type, target);
        if (spec.hasPassword()) {
            throw new IllegalStateException(property + ".target '" + spec.redactedTarget() + "' carries a password"
                    + " in its URL; targets are stored and shown to readers of the catalog API");
        }
        return spec;
    }
}
