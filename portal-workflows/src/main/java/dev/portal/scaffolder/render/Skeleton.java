package dev.portal.scaffolder.render;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A skeleton made available as a local folder. Closing it removes whatever was fetched for it (a
 * skeleton from git is extracted into a scratch folder); a skeleton on disk is left alone.
 */
public final class Skeleton implements AutoCloseable {

    private final Path root;
    private final SkeletonLocation location;
    private final Path scratch;

    Skeleton(Path root, SkeletonLocation location, Path scratch) {
        this.root = root;
        this.location = location;
        this.scratch = scratch;
    }

    /** The folder whose contents are the skeleton. */
    public Path root() {
        return root;
    }

    /** Where it came from. */
    public SkeletonLocation location() {
        return location;
    }

    @Override
    public void close() throws IOException {
        if (scratch != null) {
            SkeletonRenderer.deleteRecursively(scratch);
        }
    }
}
