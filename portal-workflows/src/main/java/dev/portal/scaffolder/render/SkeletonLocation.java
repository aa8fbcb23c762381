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

    /**
     * A folder on the application's class path, next to a template shipped in a jar (the standard
     * templates of the {@code bpmn} module, a host's own).
     *
     * @param path     the folder's resource path, normalised, without leading or trailing {@code /}
     * @param template the template's own resource path, which finds the jar when the jar lists no
     *                 folder entries; {@code null} if not known
     */
    record ClasspathFolder(String path, String template) implements SkeletonLocation {
        @Override
        public String describe() {
            return "classpath:" + path;
        }
    }
}
