package dev.portal.catalog.ingest;

import dev.portal.error.InvalidInputException;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A file in a git repository, written as a {@code url} location target:
 * {@code <repository URL>/-/blob/<branch or tag>/<path>} (the form GitLab uses; {@code /blob/} as
 * on GitHub is accepted too), e.g. {@code https://git.example.com/team/svc.git/-/blob/main/catalog-info.yaml}
 * or {@code file:///srv/git/svc.git/-/blob/main/catalog-info.yaml}.
 *
 * @param repository the URL JGit clones from
 * @param branch the branch or tag to read
 * @param path the file's path inside the repository, without a leading slash
 */
public record GitTarget(String repository, String branch, String path) {

    private static final String BLOB = "/-/blob/";
    private static final String GITHUB_BLOB = "/blob/";

    /**
     * Reads a url location target.
     *
     * @throws InvalidInputException naming the expected form when the target does not fit it
     */
    public static GitTarget parse(String target) {
        String marker = target.contains(BLOB) ? BLOB : target.contains(GITHUB_BLOB) ? GITHUB_BLOB : null;
        if (marker == null) {
            throw new InvalidInputException("'" + target + "' does not point into a git repository; write url"
                    + " targets as <repository URL>/-/blob/<branch>/<path to catalog-info.yaml>");
        }
        int at = target.indexOf(marker);
        String repository = target.substring(0, at);
        String rest = target.substring(at + marker.length());
        int slash = rest.indexOf('/');
        if (repository.isEmpty() || slash <= 0 || slash == rest.length() - 1) {
            throw new InvalidInputException("'" + target + "' must name a repository, a branch and a file:"
                    + " <repository URL>/-/blob/<branch>/<path>");
        }
        URI uri;
        try {
            uri = URI.create(repository);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + target + "': '" + repository + "' is not a URL", e);
        }
        if (uri.getScheme() == null) {
            throw new InvalidInputException("'" + target + "': '" + repository + "' is not an absolute URL (use"
                    + " file:///path for a repository on disk)");
        }
        // JGit has no transport for file://host/path: a repository on disk is file:///path.
        if (uri.getScheme().equalsIgnoreCase("file") && uri.getRawAuthority() != null) {
            throw new InvalidInputException("'" + target + "': '" + repository + "' names a host in a file: URL;"
                    + " a repository on this server's disk is file:///path");
        }
        return new GitTarget(repository, rest.substring(0, slash), normalize(rest.substring(slash + 1), target));
    }

    /** The target string for this file. */
    public String format() {
        return repository + BLOB + branch + "/" + path;
    }

    /** Host of the repository URL, or {@code null} for {@code file:} repositories. */
    public String host() {
        return URI.create(repository).getHost();
    }

    /** A file in the same repository and branch, relative to this file's folder (or absolute from the root with '/'). */
    public GitTarget sibling(String relative) {
        String joined = relative.startsWith("/") ? relative.substring(1)
                : (path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "") + relative;
        return new GitTarget(repository, branch, normalize(joined, relative));
    }

    private static String normalize(String path, String shownAs) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new InvalidInputException("'" + shownAs + "' leaves the repository");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        if (parts.isEmpty()) {
            throw new InvalidInputException("'" + shownAs + "' names no file");
        }
        return String.join("/", parts);
    }
}
