package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads {@code file} locations: an absolute path on this machine (a {@code file:} URL prefix is
 * accepted). Which paths may be registered is decided before a location reaches a reader.
 */
public final class FileLocationReader implements LocationReader {

    private final int maxBytes;

    /** @param maxBytes the largest descriptor file read; larger ones are refused unread */
    public FileLocationReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public String type() {
        return LocationSpec.FILE;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        Path path = path(location);
        try (InputStream in = Files.newInputStream(path)) {
            byte[] content = BoundedRead.readAtMost(in, maxBytes, location);
            String version = BoundedRead.sha256(content);
            return version.equals(knownVersion) ? SourceContent.unchanged(version) : new SourceContent(version, content);
        } catch (NoSuchFileException e) {
            throw new LocationReadException(location, "no such file " + path);
        } catch (IOException e) {
            throw new LocationReadException(location, e.getMessage(), e);
        }
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        Path parent = path(base).getParent();
        String stripped = stripScheme(target);
        try {
            Path resolved = parent.resolve(stripped).normalize();
            return new LocationSpec(LocationSpec.FILE, resolved.toString());
        } catch (InvalidPathException e) {
            throw new LocationReadException(base, "target '" + target + "' is not a valid path: " + e.getReason());
        }
    }

    private static Path path(LocationSpec location) {
        String target = stripScheme(location.target());
        try {
            Path path = Path.of(target);
            if (!path.isAbsolute()) {
                throw new LocationReadException(location, "file targets must be absolute paths");
            }
            return path.normalize();
        } catch (InvalidPathException e) {
            throw new LocationReadException(location, "not a valid path: " + e.getReason());
        }
    }

    private static String stripScheme(String target) {
        return target.startsWith("file://") ? target.substring("file://".length())
                : target.startsWith("file:") ? target.substring("file:".length()) : target;
    }
}
