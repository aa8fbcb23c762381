package dev.portal.scaffolder.render;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bare repository on disk and a clone that pushes to it, as a git-hosted template lives in one. */
public final class GitFixture implements AutoCloseable {

    private final Path work;
    private final Git git;
    private final String remote;

    private GitFixture(Path work, Git git, String remote) {
        this.work = work;
        this.git = git;
        this.remote = remote;
    }

    public static GitFixture create(Path dir) throws Exception {
        Path bare = dir.resolve("templates.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        String remote = bare.toUri().toString().replaceAll("/$", "");
        Path work = dir.resolve("work");
        Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call();
        git.remoteAdd().setName("origin").setUri(new URIish(remote)).call();
        return new GitFixture(work, git, remote);
    }

    /** The repository URL, e.g. {@code file:/tmp/x/templates.git}. */
    public String remote() {
        return remote;
    }

    /** A url location target in this repository's main branch. */
    public String blob(String path) {
        return remote + "/-/blob/main/" + path;
    }

    /** The working tree; write files here, then {@link #push}. */
    public Path work() {
        return work;
    }

    public void write(String path, String content) throws IOException {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** Commits everything in the working tree and pushes it to main. */
    public void push() throws Exception {
        git.add().addFilepattern(".").call();
        git.commit().setMessage("change").setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").call();
        git.push().setRemote("origin").setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
    }

    @Override
    public void close() {
        git.close();
    }
}
