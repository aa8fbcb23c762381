package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Reads {@code classpath} locations: descriptors shipped inside the application or a library jar
 * (the portal's standard templates, a host's own), e.g. {@code dev/portal/bpmn/templates/all.yaml}.
 * A {@code classpath:} prefix and a leading {@code /} are accepted.
 *
 * <p>Only the application's own configuration may name such a location: the API's
 * {@link dev.portal.catalog.LocationPolicy} refuses the type, since a caller could otherwise make the
 * server read, and echo parse errors of, any resource on its class path. A relative target in a
 * classpath descriptor resolves inside the class path and may not climb above its root.
 */
public final class ClasspathLocationReader implements LocationReader {

    /** The location type. */
    public static final String TYPE = "classpath";

    private final ClassLoader classLoader;
    private final int maxBytes;

    /**
     * @param classLoader where resources are looked up
     * @param maxBytes    the largest descriptor file read; larger ones are refused unread
     */
    public ClasspathLocationReader(ClassLoader classLoader, int maxBytes) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        this.maxBytes = maxBytes;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        String path = path(location);
        try (InputStream in = classLoader.getResourceAsStream(path)) {
            if (in == null) {
                throw new LocationReadException(location, "no resource " + path + " on the class path");
            }
            byte[] content = BoundedRead.readAtMost(in, maxBytes, location);
            String version = BoundedRead.sha256(content);
            return version.equals(knownVersion) ? SourceContent.unchanged(version) : new SourceContent(version, content);
        } catch (IOException e) {
            throw new LocationReadException(location, e.getMessage(), e);
        }
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        String relative = strip(target);
        if (target.contains("://") || target.startsWith("/") || target.startsWith("classpath:")) {
            // an absolute classpath target is as trusted as a relative one: it comes from the application
            return new LocationSpec(TYPE, normalize(base, relative));
        }
        String folder = path(base).contains("/") ? path(base).substring(0, path(base).lastIndexOf('/') + 1) : "";
        return new LocationSpec(TYPE, normalize(base, folder + relative));
    }

    /** The resource path a location names, normalised; never above the class path's root. */
    public static String path(LocationSpec location) {
        return normalize(location, strip(location.target()));
    }

    private static String strip(String target) {
        String path = target.startsWith("classpath:") ? target.substring("classpath:".length()) : target;
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path;
    }

    private static String normalize(LocationSpec location, String path) {
        if (path.contains("://") || path.contains("\\")) {
            throw new LocationReadException(location, "'" + path + "' is not a class path resource");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw new LocationReadException(location, "'" + path + "' climbs above the class path's root");
                }
                segments.removeLast();
            } else {
                segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new LocationReadException(location, "a classpath target must name a resource");
        }
        return String.join("/", segments);
    }
}
