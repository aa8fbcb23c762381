package dev.portal.scaffolder.action.builtin;

import dev.portal.scaffolder.action.ActionInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A folder an action input names relative to the run's workspace, checked to stay inside it: no
 * absolute paths, no {@code ..} above the workspace, and no symbolic link on the way that leads out
 * (templates are untrusted and earlier steps may have written links).
 */
final class WorkspaceFolder {

    private WorkspaceFolder() {
    }

    /**
     * The folder {@code relative} names inside {@code workspace}; the workspace itself when
     * {@code relative} is {@code null}, blank or {@code .}. The folder need not exist.
     *
     * @param field the input field, named in the refusal
     * @throws ActionInputException if the folder would lie outside the workspace
     */
    static Path resolve(Path workspace, String relative, String field) {
        Path root = workspace.toAbsolutePath().normalize();
        if (relative == null || relative.isBlank()) {
            return root;
        }
        Path folder;
        try {
            Path given = Path.of(relative);
            if (given.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
                throw outside(field, relative);
            }
            folder = root.resolve(given).normalize();
        } catch (InvalidPathException e) {
            throw new ActionInputException(field + " '" + relative + "' is not a valid path: " + e.getReason(), e);
        }
        if (!folder.startsWith(root)) {
            throw outside(field, relative);
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path existing = folder;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (!existing.toRealPath().startsWith(realRoot)) {
                throw outside(field, relative);
            }
        } catch (IOException e) {
            // a dangling link: where it would lead is not ours to find out
            throw outside(field, relative);
        }
        return folder;
    }

    /**
     * Refuses a folder holding a symbolic link that leads out of the workspace (or nowhere): writing
     * through it would write outside. The folder need not exist.
     *
     * @param field the input field, named in the refusal
     * @throws ActionInputException naming the first such link
     */
    static void refuseLinksOut(Path workspace, Path folder, String field) {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            Path realRoot = workspace.toRealPath();
            Optional<Path> link = paths.filter(Files::isSymbolicLink)
                    .filter(path -> !leadsInto(path, realRoot)).findFirst();
            if (link.isPresent()) {
                throw new ActionInputException(field + " holds the symbolic link '" + folder.relativize(link.get())
                        + "', which leads out of the workspace");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean leadsInto(Path link, Path realRoot) {
        try {
            return link.toRealPath().startsWith(realRoot);
        } catch (IOException e) {
            return false;
        }
    }

    private static ActionInputException outside(String field, String relative) {
        return new ActionInputException(field + " '" + relative + "' must name a folder inside the workspace");
    }
}
