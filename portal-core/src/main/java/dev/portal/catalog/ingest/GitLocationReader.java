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
import org.eclipse.jgit.transport.CredentialsProvider;
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
import java.util.function.Function;

/**
 * Reads {@code url} locations from git repositories with JGit (any transport JGit speaks: file://,
 * http(s) smart protocol, ssh). Asks the remote for the branch's commit first and only fetches when
 * it differs from the last clean processing; then fetches that one commit into a throw-away bare
 * repository and reads the file from its tree.
 */
public final class GitLocationReader implements LocationReader {

    private final int maxBytes;
    private final Duration timeout;
    private final Function<GitTarget, CredentialsProvider> credentials;

    /**
     * @param maxBytes the largest descriptor file read
     * @param timeout how long one remote operation may take
     * @param credentials credentials per repository, or a function answering {@code null} for anonymous access
     */
    public GitLocationReader(int maxBytes, Duration timeout, Function<GitTarget, CredentialsProvider> credentials) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.credentials = credentials;
    }

    /** Anonymous access, 30 s timeout. */
    public GitLocationReader(int maxBytes) {
        this(maxBytes, Duration.ofSeconds(30), target -> null);
    }

    @Override
    public String type() {
        return LocationSpec.URL;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        GitTarget target = target(location);
        Ref remoteRef = remoteRef(location, target);
        String commit = (remoteRef.getPeeledObjectId() != null ? remoteRef.getPeeledObjectId()
                : remoteRef.getObjectId()).name();
        if (commit.equals(knownVersion)) {
            return SourceContent.unchanged(commit);
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("portal-git-location-");
            try (Git git = ShallowFetch.of(scratch, target.repository(), remoteRef, timeout, credentials.apply(target))) {
                return new SourceContent(commit, readFile(git.getRepository(), location, target, commit));
            }
        } catch (GitAPIException | JGitInternalException e) {
            throw new LocationReadException(location, "git fetch of " + target.repository() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LocationReadException(location, e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        if (target.contains("://") || target.startsWith("file:")) {
            target(new LocationSpec(LocationSpec.URL, target));
            return new LocationSpec(LocationSpec.URL, target);
        }
        try {
            return new LocationSpec(LocationSpec.URL, target(base).sibling(target).format());
        } catch (InvalidInputException e) {
            throw new LocationReadException(base, e.getMessage());
        }
    }

    private static GitTarget target(LocationSpec location) {
        try {
            return GitTarget.parse(location.target());
        } catch (InvalidInputException e) {
            throw new LocationReadException(location, e.getMessage());
        }
    }

    /** The branch (or else the tag) the target names, as the remote has it now. */
    private Ref remoteRef(LocationSpec location, GitTarget target) {
        try {
            return ShallowFetch.remoteRef(target.repository(), target.branch(), timeout, credentials.apply(target))
                    .orElseThrow(() -> new LocationReadException(location,
                            "the repository has no branch or tag '" + target.branch() + "'"));
        } catch (GitAPIException | JGitInternalException e) {
            // JGit reports a transport it does not have as an internal error; the cause says which.
            Throwable reason = e instanceof JGitInternalException && e.getCause() != null ? e.getCause() : e;
            throw new LocationReadException(location, "cannot reach " + target.repository() + ": "
                    + reason.getMessage(), e);
        }
    }

    private byte[] readFile(Repository repository, LocationSpec location, GitTarget target, String commit)
            throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit revCommit = walk.parseCommit(ObjectId.fromString(commit));
            try (TreeWalk tree = TreeWalk.forPath(repository, target.path(), revCommit.getTree())) {
                if (tree == null) {
                    throw new LocationReadException(location, "no file '" + target.path() + "' on " + target.branch()
                            + " at " + commit.substring(0, 12));
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
