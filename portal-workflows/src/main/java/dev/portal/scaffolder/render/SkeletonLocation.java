package dev.portal.scaffolder.render;

import dev.portal.catalog.ingest.GitTarget;

import java.nio.file.Path;

/** Where a template's skeleton is, once resolved against the template's own location. */
public sealed interface SkeletonLocation {

    /** For logs and messages. */
    String describe();

    /**
     * A folder on this machine.
     *
     * @param path the folder, absolute and normalised
     */
    record Folder(Path path) implements SkeletonLocation {
        @Override
        public String describe() {
            return path.toString();
        }
    }

    /**
     * A folder in a git repository.
     *
     * @param target the repository, branch (or tag) and the folder's path in it
     */
    record GitFolder(GitTarget target) implements SkeletonLocation {
        @Override
        public String describe() {
            return target.format();
        }
    }
}
