package dev.portal.catalog.ingest;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Finds a branch or tag on a remote and fetches its tip into a scratch bare repository, to read files from it and throw it away.
 * Not {@code Git.cloneRepository()}: a fetch may start JGit's automatic garbage collection in a
 * background thread, which then trips over the scratch folder being deleted; auto GC is switched
 * off in the scratch repository before fetching.
 */
public final class ShallowFetch {

    private ShallowFetch() {
    }

    /** The branch (or else the tag) named {@code branchOrTag}, as {@code repository} has it now. */
    public static Optional<Ref> remoteRef(String repository, String branchOrTag, Duration timeout,
                                          CredentialsProvider credentials) throws GitAPIException {
        Collection<Ref> refs = Git.lsRemoteRepository()
                .setRemote(repository)
                .setHeads(true)
                .setTags(true)
                .setTimeout((int) timeout.toSeconds())
                .setCredentialsProvider(credentials)
                .call();
        for (String name : List.of(Constants.R_HEADS + branchOrTag, Constants.R_TAGS + branchOrTag)) {
            for (Ref ref : refs) {
                if (ref.getName().equals(name)) {
                    return Optional.of(ref);
                }
            }
        }
        return Optional.empty();
    }

    /** Every ref {@code repository} advertises now, {@code HEAD} (symbolic where the server says so) included. */
    public static Collection<Ref> remoteRefs(String repository, Duration timeout, CredentialsProvider credentials)
            throws GitAPIException {
        return Git.lsRemoteRepository()
                .setRemote(repository)
                .setTimeout((int) timeout.toSeconds())
                .setCredentialsProvider(credentials)
                .callAsMap()
                .values();
    }

    /** A bare repository in {@code directory} holding {@code ref} (depth 1) of {@code repository}. */
    public static Git of(Path directory, String repository, Ref ref, Duration timeout, CredentialsProvider credentials)
            throws GitAPIException, IOException {
        Git git = Git.init().setBare(true).setDirectory(directory.toFile()).call();
        try {
            StoredConfig config = git.getRepository().getConfig();
            config.setInt("gc", null, "auto", 0);
            config.setBoolean("gc", null, "autoDetach", false);
            config.save();
            git.fetch()
                    .setRemote(repository)
                    .setRefSpecs(new RefSpec("+" + ref.getName() + ":" + ref.getName()))
                    .setDepth(1)
                    .setTimeout((int) timeout.toSeconds())
                    .setCredentialsProvider(credentials)
                    .call();
            return git;
        } catch (GitAPIException | IOException | RuntimeException e) {
            git.close();
            throw e;
        }
    }
}
