package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads {@code file} locations: an absolute path on this machine (a {@code file:} URL prefix is
 * accepted). Which paths may be registered is decided before a location reaches a reader.
 *
 * <p>Only regular files are read, at their real path (symbolic links resolved, so what is read is
 * what the location fence checked): opening a named pipe blocks until somebody writes to it, and a
 * device or a directory is no descriptor. The read runs on a thread of its own and is given up
 * after the timeout, so a file system that hangs (a stale network mount) costs one location that
 * long and never stops the refresh of the others.
 */
public final class FileLocationReader implements LocationReader {

    private final int maxBytes;
    private final Duration timeout;

    /**
     * @param maxBytes the largest descriptor file read; larger ones are refused unread
     * @param timeout how long reading one file may take
     */
    public FileLocationReader(int maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A 30 s timeout, as the git reader's. */
    public FileLocationReader(int maxBytes) {
        this(maxBytes, Duration.ofSeconds(30));
    }

    @Override
    public String type() {
        return LocationSpec.FILE;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        Path path = path(location);
        byte[] content = withinTimeout(location, () -> readRegularFile(location, path));
        String version = BoundedRead.sha256(content);
        return version.equals(knownVersion) ? SourceContent.unchanged(version) : new SourceContent(version, content);
    }

    private byte[] readRegularFile(LocationSpec location, Path path) {
        try {
            Path real = path.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new LocationReadException(location, path + " is " + kind(attributes)
                        + ", not a regular file; only regular files are read");
            }
            if (attributes.size() > maxBytes) {
                throw new LocationReadException(location, "the descriptor is " + attributes.size()
                        + " bytes, larger than " + maxBytes + " bytes, the limit for one descriptor file"
                        + " (ParserLimits.maxBytes)");
            }
            // NOFOLLOW_LINKS: the file the attributes described, not a link put in its place since.
            try (SeekableByteChannel channel = Files.newByteChannel(real, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS); InputStream in = Channels.newInputStream(channel)) {
                return BoundedRead.readAtMost(in, maxBytes, location);
            }
        } catch (NoSuchFileException e) {
            throw new LocationReadException(location, "no such file " + path);
        } catch (FileSystemException e) {
            throw new LocationReadException(location, path + " cannot be read: "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        } catch (IOException e) {
            throw new LocationReadException(location, path + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String kind(BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        return "a special file (a named pipe, socket or device)";
    }

    /**
     * Runs {@code read} on a thread of its own and waits at most the timeout for it. A read that
     * overruns is interrupted (which closes a file channel) and abandoned.
     */
    private byte[] withinTimeout(LocationSpec location, Supplier<byte[]> read) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().name("portal-file-read").start(() -> {
            try {
                result.complete(read.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reader.interrupt();
            throw new LocationReadException(location, "reading the file took longer than " + timeout.toMillis()
                    + " ms (portal.catalog.refresh.read-timeout)");
        } catch (InterruptedException e) {
            reader.interrupt();
            Thread.currentThread().interrupt();
            throw new LocationReadException(location, "interrupted while reading the file");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw (Error) e.getCause();
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
