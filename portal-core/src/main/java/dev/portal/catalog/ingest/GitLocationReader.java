package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code url} locations from git repositories with JGit (any transport JGit speaks: file://,
 * http(s) smart protocol, ssh), whatever shape of URL was pasted ({@link GitUrl}). Lists the remote's
 * refs first, picks the ref the URL means, and only fetches when its commit differs from the last
 * clean processing; then fetches that one commit into a throw-away bare repository and reads the file
 * from its tree. The commit stays open for the pass ({@link #open}): files next to the descriptor
 * ({@code $text: ./openapi.yaml}) are blobs of the same commit.
 */
public final class GitLocationReader implements LocationReader {

    private final int maxBytes;
    private final Duration timeout;
    private final HostCredentials credentials;

    /**
     * @param maxBytes the largest descriptor file read
     * @param timeout how long one remote operation may take
     * @param credentials credentials per host, from configuration
     */
    public GitLocationReader(int maxBytes, Duration timeout, HostCredentials credentials) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.credentials = credentials;
    }

    /** Anonymous access, 30 s timeout. */
    public GitLocationReader(int maxBytes) {
        this(maxBytes, Duration.ofSeconds(30), HostCredentials.none());
    }

    @Override
    public String type() {
        return LocationSpec.URL;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        try (SourceSnapshot snapshot = open(location, knownVersion)) {
            return snapshot.content();
        }
    }

    @Override
    public SourceSnapshot open(LocationSpec location, String knownVersion) {
        GitUrl url = url(location);
        GitUrl.Resolved resolved = resolve(location, url);
        GitTarget target = resolved.target();
        Ref remoteRef = resolved.ref();
        String commit = (remoteRef.getPeeledObjectId() != null ? remoteRef.getPeeledObjectId()
                : remoteRef.getObjectId()).name();
        if (commit.equals(knownVersion)) {
            return new Snapshot(location, target, SourceContent.unchanged(commit), null, null);
        }
        Path scratch = null;
        Git git = null;
        try {
            scratch = Files.createTempDirectory("portal-git-location-");
            git = ShallowFetch.of(scratch, target.repository(), remoteRef, timeout,
                    credentials.forRepository(target.repository()));
            byte[] content = readFile(git.getRepository(), location, target.path(), target, commit);
            Snapshot snapshot = new Snapshot(location, target, new SourceContent(commit, content), git, scratch);
            git = null;
            scratch = null;
            return snapshot;
        } catch (GitAPIException | JGitInternalException e) {
            throw new LocationReadException(location, "git fetch of " + target.repository() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LocationReadException(location, e.getMessage(), e);
        } finally {
            if (git != null) {
                git.close();
            }
            deleteQuietly(scratch);
        }
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        if (isAbsolute(target)) {
            return absolute(base, target);
        }
        // Without the remote's refs a run of ref and path segments cannot be split; ask for them.
        GitTarget resolvedBase = resolve(base, url(base)).target();
        return sibling(base, resolvedBase, target);
    }

    private static boolean isAbsolute(String target) {
        return target.contains("://") || target.startsWith("file:");
    }

    private static LocationSpec absolute(LocationSpec base, String target) {
        try {
            GitUrl.parse(target);
        } catch (InvalidInputException e) {
            throw new LocationReadException(base, e.getMessage());
        }
        return new LocationSpec(LocationSpec.URL, target);
    }

    private static LocationSpec sibling(LocationSpec base, GitTarget resolvedBase, String target) {
        try {
            return new LocationSpec(LocationSpec.URL, resolvedBase.sibling(target).format());
        } catch (InvalidInputException e) {
            throw new LocationReadException(base, e.getMessage());
        }
    }

    private static GitUrl url(LocationSpec location) {
        try {
            return GitUrl.parseGit(location.target());
        } catch (InvalidInputException e) {
            throw new LocationReadException(location, e.getMessage());
        }
    }

    /** The ref and file the URL means, as the remote has them now. */
    private GitUrl.Resolved resolve(LocationSpec location, GitUrl url) {
        Collection<Ref> refs;
        try {
            refs = ShallowFetch.remoteRefs(url.repository(), timeout, credentials.forRepository(url.repository()));
        } catch (GitAPIException | JGitInternalException e) {
            // JGit reports a transport it does not have as an internal error; the cause says which.
            Throwable reason = e instanceof JGitInternalException && e.getCause() != null ? e.getCause() : e;
            throw new LocationReadException(location, "cannot reach " + url.repository() + ": "
                    + reason.getMessage(), e);
        }
        try {
            GitUrl.Resolved resolved = url.resolve(refs);
            if (resolved.ref() == null) {
                throw new LocationReadException(location, "the repository does not list its default branch "
                        + resolved.target().branch());
            }
            return resolved;
        } catch (LocationReadException e) {
            throw e;
        } catch (InvalidInputException e) {
            throw new LocationReadException(location, e.getMessage());
        }
    }

    private byte[] readFile(Repository repository, LocationSpec location, String path, GitTarget target, String commit)
            throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit revCommit = walk.parseCommit(ObjectId.fromString(commit));
            try (TreeWalk tree = TreeWalk.forPath(repository, path, revCommit.getTree())) {
                if (tree == null) {
                    throw new LocationReadException(location, "no file '" + path + "' on " + target.branch()
                            + " at " + commit.substring(0, 12));
                }
                if (!tree.getFileMode(0).equals(org.eclipse.jgit.lib.FileMode.REGULAR_FILE)
                        && !tree.getFileMode(0).equals(org.eclipse.jgit.lib.FileMode.EXECUTABLE_FILE)) {
                    throw new LocationReadException(location, "'" + path + "' on " + target.branch()
                            + " is not a regular file (a folder, link or submodule); only regular files are read");
                }
                ObjectLoader loader = repository.open(tree.getObjectId(0));
                if (loader.getSize() > maxBytes) {
                    throw new LocationReadException(location, "the descriptor is " + loader.getSize()
                            + " bytes, larger than " + maxBytes + " bytes, the limit for one descriptor file (ParserLimits.maxBytes)");
                }
                try (InputStream in = loader.openStream()) {
                    return BoundedRead.readAtMost(in, maxBytes, location);
                }
            }
        }
    }

    /** The fetched commit, open until the pass is done with it. */
    private final class Snapshot implements SourceSnapshot {

        private final LocationSpec location;
        private final GitTarget target;
        private final SourceContent content;
        private final Git git;
        private final Path scratch;
        /** Targets this snapshot resolved, by the file each names in the held commit. */
        private final Map<LocationSpec, String> siblings = new HashMap<>();

        Snapshot(LocationSpec location, GitTarget target, SourceContent content, Git git, Path scratch) {
            this.location = location;
            this.target = target;
            this.content = content;
            this.git = git;
            this.scratch = scratch;
        }

        @Override
        public SourceContent content() {
            return content;
        }

        @Override
        public LocationSpec resolve(String relative) {
            if (isAbsolute(relative)) {
                return absolute(location, relative);
            }
            LocationSpec spec = sibling(location, target, relative);
            siblings.put(spec, target.sibling(relative).path());
            return spec;
        }

        @Override
        public Optional<byte[]> readHeld(LocationSpec spec) {
            String path = siblings.get(spec);
            if (path == null || git == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(readFile(git.getRepository(), spec, path, target, content.version()));
            } catch (IOException e) {
                throw new LocationReadException(spec, e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (git != null) {
                git.close();
            }
            deleteQuietly(scratch);
        }
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // A scratch folder we could not remove is left to the OS temp cleaner; the read itself succeeded.
        }
    }
}
