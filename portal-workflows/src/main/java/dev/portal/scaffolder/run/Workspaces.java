package dev.portal.scaffolder.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * The working directories of runs: one per run under a root, kept while the run may still need it
 * (a failed run may be retried) and removed when the run ends. Steps of one run that execute on
 * different instances need the root on shared storage.
 */
public final class Workspaces {

    private final Path root;

    public Workspaces(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The run's workspace, created if missing. */
    public Path forRun(UUID runId) {
        Path dir = root.resolve(runId.toString());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the workspace " + dir, e);
        }
    }

    /** A fresh workspace for a dry run; the caller deletes it with {@link #delete(Path)}. */
    public Path temporary() {
        try {
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "dry-run-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a dry-run workspace under " + root, e);
        }
    }

    public void release(UUID runId) {
        delete(root.resolve(runId.toString()));
    }

    /** Deletes {@code dir} and everything in it, without following links; a missing one is fine. */
    public static void delete(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** {@link #delete} for callers that handle the {@link IOException} themselves. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
