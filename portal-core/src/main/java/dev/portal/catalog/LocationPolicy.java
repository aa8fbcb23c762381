package dev.portal.catalog;

import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which locations users may make the catalog read. Registering a location makes the server read a
 * file or fetch from a host, so locations registered through the API (and every location nested in
 * them) are checked; locations from the host's own configuration are trusted.
 */
@FunctionalInterface
public interface LocationPolicy {

    /** Why the location may not be read, or empty if it may. */
    Optional<String> refusal(LocationSpec location);

    /** Every location is allowed: for catalogs fed only by trusted configuration. */
    static LocationPolicy allowAll() {
        return location -> Optional.empty();
    }

    /**
     * {@code file} locations only under {@code allowedFileRoots}, {@code url} locations only on
     * {@code allowedHosts} ({@code *.example.com} matches sub-domains); everything else refused.
     * Empty lists refuse every location of that type.
     */
    static LocationPolicy fenced(List<Path> allowedFileRoots, List<String> allowedHosts) {
        List<Path> roots = allowedFileRoots.stream().map(root -> root.toAbsolutePath().normalize()).toList();
        List<String> hosts = allowedHosts.stream().map(host -> host.trim().toLowerCase(Locale.ROOT)).toList();
        return location -> switch (location.type()) {
            case LocationSpec.FILE -> fileRefusal(location, roots);
            case LocationSpec.URL -> hostRefusal(location, hosts);
            default -> Optional.of("location type '" + location.type() + "' may not be registered");
        };
    }

    private static Optional<String> fileRefusal(LocationSpec location, List<Path> roots) {
        String target = location.target().startsWith("file:") ? location.target().replaceFirst("^file:(//)?", "")
                : location.target();
        Path path;
        try {
            path = Path.of(target);
        } catch (InvalidPathException e) {
            return Optional.of("'" + location.target() + "' is not a valid path");
        }
        if (!path.isAbsolute()) {
            return Optional.of("file locations must be absolute paths, not '" + location.target() + "'");
        }
        Path normalized = path.normalize();
        if (roots.stream().anyMatch(normalized::startsWith)) {
            return Optional.empty();
        }
        return Optional.of(roots.isEmpty()
                ? "file locations may not be registered here (portal.catalog.allowed-file-roots is empty)"
                : "'" + normalized + "' is outside the allowed file roots " + roots
                + " (portal.catalog.allowed-file-roots)");
    }

    private static Optional<String> hostRefusal(LocationSpec location, List<String> hosts) {
        String host;
        try {
            host = GitTarget.parse(location.target()).host();
        } catch (InvalidInputException e) {
            return Optional.of(e.getMessage());
        }
        if (host == null) {
            return Optional.of("url locations must name a host; '" + location.target()
                    + "' reads from this server's disk");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        boolean allowed = hosts.stream().anyMatch(pattern -> pattern.startsWith("*.")
                ? lower.endsWith(pattern.substring(1)) : lower.equals(pattern));
        return allowed ? Optional.empty() : Optional.of(hosts.isEmpty()
                ? "url locations may not be registered here (portal.catalog.allowed-hosts is empty)"
                : "host '" + host + "' is not in the allowed hosts " + hosts + " (portal.catalog.allowed-hosts)");
    }
}
