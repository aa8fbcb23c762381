package dev.portal.catalog;

import dev.portal.catalog.ingest.GitUrl;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which locations users may make the catalog read. Registering a location makes the server read a
 * file or fetch from a host, so locations registered through the API (and every location nested in
 * them) are checked; locations from the host's own configuration are trusted.
 */
@FunctionalInterface
public interface LocationPolicy {

    /** The protocols a {@code url} location registered by a user may fetch with. */
    Set<String> NETWORK_SCHEMES = Set.of("https", "http", "ssh", "git");

    /** Why the location may not be read, or empty if it may. */
    Optional<String> refusal(LocationSpec location);

    /** This policy, then {@code other}: a location passes only if both allow it. */
    default LocationPolicy and(LocationPolicy other) {
        return location -> refusal(location).or(() -> other.refusal(location));
    }

    /** Every location is allowed: for catalogs fed only by trusted configuration. */
    static LocationPolicy allowAll() {
        return location -> Optional.empty();
    }

    /**
     * {@code file} locations only under {@code allowedFileRoots}, {@code url} locations only on
     * {@code allowedHosts} ({@code *.example.com} matches sub-domains) over a network protocol
     * (https, http, ssh, git); everything else refused. Empty lists refuse every location of that
     * type. Every shape of {@code url} ({@link GitUrl}) is checked on the host that will be contacted:
     * the repository's for git shapes ({@code github.com} for a {@code raw.githubusercontent.com}
     * URL), the URL's own for a plain HTTP file.
     *
     * <p>A file path must lie under a root as written and also once symbolic links are resolved
     * (of the path and of the roots): a link inside a root that points elsewhere
     * ({@code <root>/links/passwd.yaml -> /etc/passwd}) is refused. Paths that do not exist yet
     * are resolved as far as they exist. The catalog checks again right before each read of a
     * location registered through the API, since a link can appear after registration.
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
        if (roots.stream().noneMatch(normalized::startsWith)) {
            return Optional.of(roots.isEmpty()
                    ? "file locations may not be registered here (portal.catalog.allowed-file-roots is empty)"
                    : "'" + normalized + "' is outside the allowed file roots " + roots
                    + " (portal.catalog.allowed-file-roots)");
        }
        // Where the path really leads; the target of a link is not named, only that it escapes.
        Optional<Path> real = realPath(normalized);
        if (real.isEmpty()) {
            return Optional.of("'" + normalized + "' cannot be resolved (a loop of symbolic links, or no permission)");
        }
        boolean inside = roots.stream().map(LocationPolicy::realPath).flatMap(Optional::stream)
                .anyMatch(real.get()::startsWith);
        return inside ? Optional.empty() : Optional.of("'" + normalized + "' leads outside the allowed file roots "
                + roots + " through a symbolic link (portal.catalog.allowed-file-roots)");
    }

    /**
     * {@code path} with every symbolic link resolved, as far as it exists; the part that does not
     * exist yet is appended as written. Empty when the existing part cannot be resolved.
     */
    private static Optional<Path> realPath(Path path) {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path existing = path; existing != null; existing = existing.getParent()) {
            try {
                Path real = existing.toRealPath();
                for (Path name : missing) {
                    real = real.resolve(name);
                }
                return Optional.of(real);
            } catch (NoSuchFileException e) {
                missing.push(existing.getFileName());
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> hostRefusal(LocationSpec location, List<String> hosts) {
        String host;
        String scheme;
        try {
            Optional<GitUrl> git = GitUrl.parse(location.target());
            if (git.isPresent()) {
                host = git.get().host();
                scheme = git.get().scheme();
            } else {
                URI uri = URI.create(location.target());
                host = uri.getHost();
                scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            }
        } catch (InvalidInputException e) {
            return Optional.of(e.getMessage());
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + location.target() + "' is not a URL");
        }
        if (host == null || scheme.equals("file")) {
            return Optional.of("url locations must name a host; '" + location.target()
                    + "' reads from this server's disk");
        }
        // JGit speaks more (bundle files, sftp, amazon-s3): a user may make the server use these only.
        if (!NETWORK_SCHEMES.contains(scheme)) {
            return Optional.of("url locations must use " + String.join(", ", NETWORK_SCHEMES.stream().sorted().toList())
                    + ", not '" + scheme + "'");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        boolean allowed = hosts.stream().anyMatch(pattern -> pattern.startsWith("*.")
                ? lower.endsWith(pattern.substring(1)) : lower.equals(pattern));
        return allowed ? Optional.empty() : Optional.of(hosts.isEmpty()
                ? "url locations may not be registered here (portal.catalog.allowed-hosts is empty)"
                : "host '" + host + "' is not in the allowed hosts " + hosts + " (portal.catalog.allowed-hosts)");
    }
}
