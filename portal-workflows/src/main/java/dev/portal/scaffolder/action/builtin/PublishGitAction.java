package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ScaffolderAction;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuildIterator;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;
import org.eclipse.jgit.util.FileUtils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code portal.publish-git}: commits a folder of the workspace (the rendered skeleton, typically)
 * as the first commit of a new repository and pushes it, with JGit, to the URL
 * {@link GitPublishSettings#urlPattern()} gives for the repository's name.
 *
 * <p>It never overwrites: a remote that already has refs is refused with the BPMN error
 * {@code portal.repository-exists}, and the push only creates the branch (it is rejected if the
 * branch appeared meanwhile), never forces. The commit carries {@code Portal-Run} and
 * {@code Portal-Step} trailers; a redelivered job that finds its own commit at the branch head
 * returns that commit and pushes nothing.
 *
 * <p>The commit is built in a throw-away bare repository outside the workspace, so later steps see
 * the folder unchanged (no {@code .git}). It is built directly rather than with {@code git add} and
 * {@code git commit} through a work tree: the folder is walked as {@code git add .} walks it (its
 * own {@code .gitignore} and {@code .gitattributes} files apply, executable bits and symbolic links
 * are kept), and its files, tree and commit go through one inserter into one pack file. The
 * porcelain wrote a loose object file per file, an index and a ref, and the clean-up deleted them
 * one by one: most of the action's time, more than the push. Nothing runs hooks or signs, and the
 * host's {@code core.autocrlf} and excludes file do not apply.
 */
public final class PublishGitAction implements ScaffolderAction<PublishGitAction.Input, PublishGitAction.Output> {

    /** The job type. */
    public static final String ID = "portal.publish-git";
    /** The BPMN error code for a remote repository that already has commits. */
    public static final String REPOSITORY_EXISTS = "portal.repository-exists";
    /** The commit trailer naming the run that published the commit. */
    public static final String RUN_TRAILER = "Portal-Run";
    /** The commit trailer naming the BPMN element (step) that published the commit. */
    public static final String STEP_TRAILER = "Portal-Step";
    /** The {@code commitId} of a dry run, which commits nothing anywhere. */
    public static final String DRY_RUN_COMMIT = "dry-run";

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final String CATALOG_INFO = "catalog-info.yaml";
    private static final String PUBLISHED_REF = "refs/portal/published";

    private final GitPublishSettings settings;

    public PublishGitAction(GitPublishSettings settings) {
        this.settings = settings;
    }

    /**
     * What to publish, and under which name.
     *
     * @param repoName the new repository's name, the {@code {name}} of the URL pattern
     * @param owner the {@code {owner}} of the URL pattern (an organisation or group), if it has one
     * @param sourcePath the folder to publish, relative to the workspace; the workspace by default
     * @param defaultBranch the branch to create; the configured default branch by default
     * @param commitMessage the commit's subject; {@code Initial commit from template <ref>} by default
     * @param description a description of the repository, written to the repositories this action
     *     creates itself ({@code file:} remotes)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String repoName, String owner, String sourcePath, String defaultBranch,
                        String commitMessage, String description) {
    }

    /**
     * What was published.
     *
     * @param remoteUrl the URL pushed to
     * @param repoUrl the URL to browse or clone the repository: {@code remoteUrl} without user info
     * @param branch the branch created
     * @param commitId the published commit, or {@value #DRY_RUN_COMMIT} in a dry run
     * @param catalogInfoUrl the published {@code catalog-info.yaml} as a catalog {@code url} location
     *     target ({@code <repoUrl>/-/blob/<branch>/catalog-info.yaml}), or {@code null} when the
     *     folder has none at its root
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String remoteUrl, String repoUrl, String branch, String commitId, String catalogInfoUrl) {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Commits a workspace folder as the first commit of a new git repository and pushes it;"
                + " refuses a repository that already has commits.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return ObjectSchema.describedAs("The repository to create and the workspace folder to publish into it.")
                .string("repoName", "Name of the new repository; letters, digits, '.', '_' and '-'.",
                        property -> property.put("pattern", "^" + SEGMENT.pattern() + "$"))
                .string("owner", "Owner of the repository (organisation or group), for URL patterns with {owner};"
                        + " letters, digits, '.', '_' and '-'.", property -> property.put("pattern", "^" + SEGMENT.pattern() + "$"))
                .string("sourcePath", "Folder to publish, relative to the workspace; the workspace root by default.",
                        property -> property.put("default", "."))
                .string("defaultBranch", "Branch to create; the configured default branch (main) by default.")
                .string("commitMessage", "Subject of the commit; 'Initial commit from template <template ref>'"
                        + " by default.")
                .string("description", "Description of the repository, for repositories the portal creates itself.")
                .required("repoName")
                .build();
    }

    @Override
    public ObjectNode outputSchema() {
        return ObjectSchema.describedAs("The published repository.")
                .string("remoteUrl", "URL the commit was pushed to.")
                .string("repoUrl", "URL to browse or clone the repository (without user info).")
                .string("branch", "Branch that was created.")
                .string("commitId", "Id of the published commit; 'dry-run' in a dry run.")
                .string("catalogInfoUrl", "The published catalog-info.yaml as a url location target"
                        + " (<repoUrl>/-/blob/<branch>/catalog-info.yaml); absent when the folder has none.")
                .build();
    }

    @Override
    public boolean supportsDryRun() {
        return true;
    }

    @Override
    public Output execute(Input input, ActionContext context) throws Exception {
        Remote remote = remote(segment("repoName", input.repoName()),
                input.owner() == null || input.owner().isBlank() ? null : segment("owner", input.owner()));
        String branch = branch(input.defaultBranch());
        Path source = WorkspaceFolder.resolve(context.workspace(), input.sourcePath(), "sourcePath");
        if (!Files.isDirectory(source)) {
            throw new ActionInputException("sourcePath '" + input.sourcePath() + "' is not a folder in the workspace");
        }
        Path scratch = Files.createTempDirectory("portal-publish-");
        try (FileRepository local = scratchRepository(scratch)) {
            FolderCommit folderCommit = commitFolder(local, source, message(input, context));
            RevCommit commit = folderCommit.commit();
            int files = folderCommit.files();
            String catalogInfoUrl = catalogInfoUrl(local, commit, remote, branch);
            if (context.dryRun()) {
                context.log().info("Dry run: would push " + files + " files from " + shown(input.sourcePath())
                        + " to " + remote.repoUrl() + " (branch " + branch + ")");
                return new Output(remote.url(), remote.repoUrl(), branch, DRY_RUN_COMMIT, catalogInfoUrl);
            }
            createMissingFileRepository(remote, branch, input.description(), context);
            Optional<RevCommit> published = publishedBefore(local, remote, branch, context);
            if (published.isPresent()) {
                return output(local, published.get(), remote, branch);
            }
            context.log().info("Pushing " + files + " files from " + shown(input.sourcePath()) + " to "
                    + remote.repoUrl() + " (branch " + branch + ")");
            RemoteRefUpdate pushed = push(local, commit, remote, branch);
            if (pushed.getStatus() == RemoteRefUpdate.Status.OK) {
                context.log().info("Pushed commit " + commit.name() + " to " + remote.repoUrl());
                return new Output(remote.url(), remote.repoUrl(), branch, commit.name(), catalogInfoUrl);
            }
            // Someone created the branch between our look and our push: maybe a redelivery of this very job.
            Optional<RevCommit> raced = publishedBefore(local, remote, branch, context);
            if (raced.isPresent()) {
                return output(local, raced.get(), remote, branch);
            }
            throw new IllegalStateException("Pushing to " + remote.repoUrl() + " was rejected (" + pushed.getStatus()
                    + (pushed.getMessage() == null ? "" : ": " + pushed.getMessage()) + ")");
        } finally {
            FileUtils.delete(scratch.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY | FileUtils.SKIP_MISSING);
        }
    }

    /**
     * The remote's commit from an earlier execution of this step, if its branch head is one; empty
     * if the remote has no refs at all.
     *
     * @throws ActionException {@value #REPOSITORY_EXISTS} if the remote has refs and they are not that
     */
    private Optional<RevCommit> publishedBefore(Repository local, Remote remote, String branch,
                                                ActionContext context) throws Exception {
        Map<String, Ref> refs = remoteRefs(local, remote);
        if (refs.isEmpty()) {
            return Optional.empty();
        }
        Ref head = refs.get(Constants.R_HEADS + branch);
        if (head != null) {
            RevCommit commit = fetchHead(local, remote, branch);
            if (commit.getFooterLines(RUN_TRAILER).equals(List.of(context.run().id().toString()))
                    && commit.getFooterLines(STEP_TRAILER).equals(List.of(context.stepId()))) {
                context.log().info(remote.repoUrl() + " already has commit " + commit.name()
                        + " from this step of this run; nothing to push");
                return Optional.of(commit);
            }
        }
        context.log().warn(remote.repoUrl() + " already has commits; refusing to overwrite it");
        throw new ActionException(REPOSITORY_EXISTS, remote.repoUrl() + " already has commits; refusing to overwrite it");
    }

    private static FileRepository scratchRepository(Path gitDir) throws IOException {
        FileRepository repository = new FileRepository(gitDir.toFile());
        try {
            repository.create(true);
            StoredConfig config = repository.getConfig();
            // The host's ~/.gitconfig must not rewrite line endings (the walk reads them from this config).
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOCRLF, false);
            // The redelivery check's fetch starts an automatic gc, which in the background would race the
            // deletion of this directory.
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.save();
            return repository;
        } catch (IOException | RuntimeException e) {
            repository.close();
            throw e;
        }
    }

    /** Commits the files {@code git add .} would stage in {@code source}: a root commit, which no ref names. */
    private FolderCommit commitFolder(FileRepository local, Path source, String message) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        // One pack file, where the default inserter writes a loose object file per object.
        try (ObjectInserter inserter = local.getObjectDatabase().newPackInserter();
             TreeWalk walk = new TreeWalk(local)) {
            walk.setOperationType(TreeWalk.OperationType.CHECKIN_OP);
            // As git add walks: the index (empty here) beside the folder gives the folder's iterator this walk,
            // through which the attributes decide line endings and clean filters. Rooted at the folder without a
            // repository, the iterator applies the folder's own .gitignore files only, not the host's excludes file.
            walk.addTree(new DirCacheBuildIterator(builder));
            FileTreeIterator folder = new FileTreeIterator(source.toFile(), local.getFS(),
                    local.getConfig().get(WorkingTreeOptions.KEY));
            folder.setDirCacheIterator(walk, 0);
            walk.addTree(folder);
            while (walk.next()) {
                WorkingTreeIterator file = walk.getTree(1, WorkingTreeIterator.class);
                if (file.isEntryIgnored()) {
                    continue;
                }
                if (walk.isSubtree()) {
                    walk.enterSubtree();
                    continue;
                }
                FileMode mode = file.getEntryFileMode();
                DirCacheEntry entry = new DirCacheEntry(walk.getRawPath());
                entry.setFileMode(mode);
                // A folder that is a git repository itself is staged as git stages it: its HEAD, as a gitlink.
                entry.setObjectId(mode == FileMode.GITLINK ? file.getEntryObjectId() : blob(inserter, file));
                builder.add(entry);
            }
            builder.finish();
            if (index.getEntryCount() == 0) {
                throw new ActionInputException("nothing to publish: the folder " + source.getFileName()
                        + " has no files (or only ignored ones)");
            }
            PersonIdent ident = new PersonIdent(settings.authorName(), settings.authorEmail());
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(index.writeTree(inserter));
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage(message);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return new FolderCommit(local.parseCommit(id), index.getEntryCount());
        }
    }

    /** The file's content as git stores it: after the clean filters and line ending rules of its attributes. */
    private static ObjectId blob(ObjectInserter inserter, WorkingTreeIterator file) throws IOException {
        long length = file.getEntryContentLength();
        try (InputStream content = file.openEntryStream()) {
            return inserter.insert(Constants.OBJ_BLOB, length, content);
        }
    }

    private void createMissingFileRepository(Remote remote, String branch, String description, ActionContext context)
            throws GitAPIException, IOException {
        if (remote.directory() == null || Files.exists(remote.directory())) {
            return;
        }
        if (!settings.createMissingFileRepositories()) {
            // Technical, not input: an operator can create the repository and retry the step.
            throw new IllegalStateException(remote.repoUrl() + " does not exist, and creating missing file"
                    + " repositories is turned off");
        }
        Files.createDirectories(remote.directory().getParent());
        try (Git created = Git.init().setBare(true).setDirectory(remote.directory().toFile())
                .setInitialBranch(branch).call()) {
            if (description != null && !description.isBlank()) {
                Files.writeString(created.getRepository().getDirectory().toPath().resolve("description"),
                        description.strip() + "\n");
            }
        }
        context.log().info("Created the bare repository " + remote.repoUrl());
    }

    private Map<String, Ref> remoteRefs(Repository local, Remote remote) throws Exception {
        try (Transport transport = transport(local, remote); FetchConnection connection = transport.openFetch()) {
            return connection.getRefsMap();
        } catch (NoRemoteRepositoryException e) {
            if (remote.directory() != null) {
                throw e;
            }
            // Hosts such as GitLab create a repository on its first push; if this one does not, the push says so.
            return Map.of();
        }
    }

    private RevCommit fetchHead(Repository local, Remote remote, String branch) throws Exception {
        try (Transport transport = transport(local, remote)) {
            // Only the head commit is needed to read its trailers, whatever the size of the history.
            transport.setDepth(1);
            transport.fetch(NullProgressMonitor.INSTANCE,
                    List.of(new RefSpec("+" + Constants.R_HEADS + branch + ":" + PUBLISHED_REF)));
        }
        ObjectId fetched = local.resolve(PUBLISHED_REF);
        if (fetched == null) {
            throw new IllegalStateException("Branch " + branch + " of " + remote.repoUrl() + " vanished while reading it");
        }
        return local.parseCommit(fetched);
    }

    private RemoteRefUpdate push(Repository local, RevCommit commit, Remote remote, String branch)
            throws Exception {
        String ref = Constants.R_HEADS + branch;
        try (Transport transport = transport(local, remote)) {
            // Expecting the zero id makes the push create the branch or fail: it can never move an existing one.
            RemoteRefUpdate update = new RemoteRefUpdate(local, null, commit, ref, false, null, ObjectId.zeroId());
            PushResult result = transport.push(NullProgressMonitor.INSTANCE, List.of(update));
            return result.getRemoteUpdate(ref);
        }
    }

    private Transport transport(Repository local, Remote remote) throws Exception {
        Transport transport = Transport.open(local, new URIish(remote.url()));
        long seconds = (settings.pushTimeout().toMillis() + 999) / 1000;
        transport.setTimeout((int) Math.min(Integer.MAX_VALUE, seconds));
        if (settings.hasCredentials()) {
            transport.setCredentialsProvider(new UsernamePasswordCredentialsProvider(settings.effectiveUsername(),
                    settings.password() == null ? "" : settings.password()));
        }
        return transport;
    }

    private Output output(Repository local, RevCommit commit, Remote remote, String branch) throws IOException {
        return new Output(remote.url(), remote.repoUrl(), branch, commit.name(),
                catalogInfoUrl(local, commit, remote, branch));
    }

    private static String catalogInfoUrl(Repository local, RevCommit commit, Remote remote, String branch)
            throws IOException {
        RevTree tree;
        try (RevWalk walk = new RevWalk(local)) {
            tree = walk.parseCommit(commit).getTree();
        }
        try (TreeWalk walk = TreeWalk.forPath(local, CATALOG_INFO, tree)) {
            boolean file = walk != null && (walk.getFileMode(0) == FileMode.REGULAR_FILE
                    || walk.getFileMode(0) == FileMode.EXECUTABLE_FILE);
            return file ? remote.repoUrl() + "/-/blob/" + branch + "/" + CATALOG_INFO : null;
        }
    }

    private Remote remote(String name, String owner) {
        String pattern = settings.urlPattern();
        if (pattern.contains("{owner}") && owner == null) {
            throw new ActionInputException("owner is required: repositories are published to " + pattern);
        }
        String url = pattern.replace("{name}", name).replace("{owner}", owner == null ? "" : owner);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ActionInputException("'" + url + "' is not a valid repository URL: " + e.getMessage(), e);
        }
        String repoUrl = url;
        if (uri.getRawUserInfo() != null) {
            repoUrl = url.replaceFirst("://[^/@]*@", "://");
        }
        Path directory = "file".equalsIgnoreCase(uri.getScheme()) ? Path.of(uri) : null;
        return new Remote(url, repoUrl, directory);
    }

    private String branch(String requested) {
        String branch = requested == null || requested.isBlank() ? settings.defaultBranch() : requested.strip();
        // A slash would make the branch ambiguous in <repo>/-/blob/<branch>/<path> location targets.
        if (branch.contains("/") || !Repository.isValidRefName(Constants.R_HEADS + branch)) {
            throw new ActionInputException("defaultBranch '" + branch + "' must be a valid branch name without '/'");
        }
        return branch;
    }

    private static String segment(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ActionInputException(field + " is required");
        }
        if (!SEGMENT.matcher(value).matches() || value.contains("..") || value.equals(".")) {
            throw new ActionInputException(field + " '" + value + "' must be 1 to 100 letters, digits, '.', '_'"
                    + " or '-' (and not '.' or contain '..'): it becomes part of the repository URL");
        }
        return value;
    }

    private static String message(Input input, ActionContext context) {
        String subject = input.commitMessage() == null || input.commitMessage().isBlank()
                ? "Initial commit from template " + context.run().template().ref()
                : input.commitMessage().strip();
        return subject + "\n\n" + RUN_TRAILER + ": " + context.run().id() + "\n"
                + STEP_TRAILER + ": " + context.stepId() + "\n";
    }

    private static String shown(String sourcePath) {
        return sourcePath == null || sourcePath.isBlank() ? "the workspace" : "'" + sourcePath + "'";
    }

    /**
     * Where to push.
     *
     * @param url the push URL
     * @param repoUrl the URL without user info
     * @param directory the repository's directory for {@code file:} URLs, else {@code null}
     */
    private record Remote(String url, String repoUrl, Path directory) {
    }

    /**
     * The commit of the folder.
     *
     * @param commit the commit, in the scratch repository
     * @param files how many files (and symbolic links) it has
     */
    private record FolderCommit(RevCommit commit, int files) {
    }
}
