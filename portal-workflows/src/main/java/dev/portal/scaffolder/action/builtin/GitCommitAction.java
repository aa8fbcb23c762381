package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefLeaseSpec;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.util.FileUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code portal.git-commit}: one more commit on a repository the portal published: files from the
 * workspace (a generated API stub, say), and/or a change to the entity's {@code catalog-info.yaml}
 * ({@code spec.lifecycle}, annotations): how decommissioning marks a component deprecated, and how a
 * failed run marks the repository it left behind.
 *
 * <p>The repository is named by {@code repoUrl} (and {@code branch}), or found from a catalog
 * entity's {@code backstage.io/managed-by-location}. Either way it must be a repository of the
 * configured publish URL pattern: the portal writes, with its credentials, only where it publishes.
 * The push never forces: if the branch moved meanwhile, the step fails and its retry starts from
 * the new head. A redelivered job finds its own commit (trailers {@code Portal-Run} and
 * {@code Portal-Step}) at the head and pushes nothing; a change already in place commits nothing.
 *
 * <p>The edited {@code catalog-info.yaml} document is written anew (other documents in the file
 * are kept as they were), so comments inside that document are not kept.
 */
public final class GitCommitAction implements ScaffolderAction<GitCommitAction.Input, GitCommitAction.Output> {

    /** The action's id (job type). */
    public static final String ID = "portal.git-commit";

    /**
     * @param repoUrl          the repository (e.g. portal.publish-git's {@code repoUrl}); or give {@code entityRef}
     * @param entityRef        an entity whose catalog-info.yaml was read from git; names repository, branch and file
     * @param branch           the branch to commit to, with {@code repoUrl}; the default branch otherwise
     * @param catalogInfoPath  the descriptor to edit, with {@code repoUrl}; {@code catalog-info.yaml} by default
     * @param sourcePath       a workspace folder whose files are copied into the repository
     * @param targetPath       where in the repository they go; the root by default
     * @param lifecycle        sets {@code spec.lifecycle} of the entity (or of every entity in the file)
     * @param annotations      added to {@code metadata.annotations} of the same documents
     * @param commitMessage    the commit's subject
     */
    public record Input(String repoUrl, String entityRef, String branch, String catalogInfoPath, String sourcePath,
                        String targetPath, String lifecycle, Map<String, String> annotations, String commitMessage) {
    }

    /**
     * @param repoUrl  the repository
     * @param branch   the branch
     * @param commitId the head after this step: the new commit, or the unchanged head when nothing changed
     * @param changed  whether this step committed anything
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String repoUrl, String branch, String commitId, boolean changed) {
    }

    private static final ObjectNode INPUT = ActionSchemas.parse("""
            {"type": "object", "required": ["commitMessage"],
             "properties": {
               "repoUrl": {"type": "string", "maxLength": 2048,
                 "description": "The repository to commit to (the repoUrl output of portal.publish-git); or give entityRef."},
               "entityRef": {"type": "string", "maxLength": 512,
                 "description": "An entity read from git, e.g. component:default/billing: its catalog-info.yaml names repository, branch and file."},
               "branch": {"type": "string", "maxLength": 255,
                 "description": "The branch, with repoUrl; the configured default branch by default."},
               "catalogInfoPath": {"type": "string", "maxLength": 1024, "default": "catalog-info.yaml",
                 "description": "The descriptor to edit, with repoUrl; catalog-info.yaml by default."},
               "sourcePath": {"type": "string", "maxLength": 1024,
                 "description": "A workspace folder whose files are copied into the repository."},
               "targetPath": {"type": "string", "maxLength": 1024,
                 "description": "Where in the repository the files of sourcePath go; the root by default."},
               "lifecycle": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,62}$",
                 "description": "Sets spec.lifecycle of the entity (or of every entity in the file), e.g. deprecated."},
               "annotations": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 2048},
                 "description": "Annotations to add to the same entities, e.g. {\\"portal.dev/abandoned\\": \\"why\\"}."},
               "commitMessage": {"type": "string", "minLength": 1, "maxLength": 1000,
                 "description": "The commit's subject; the run and step are added as trailers."}
             }}""");

    private static final ObjectNode OUTPUT = ActionSchemas.parse("""
            {"type": "object",
             "properties": {
               "repoUrl": {"type": "string", "description": "The repository."},
               "branch": {"type": "string", "description": "The branch committed to."},
               "commitId": {"type": "string", "description": "The branch head after the step."},
               "changed": {"type": "boolean", "description": "Whether the step committed anything."}
             }}""");

    private final GitPublishSettings settings;
    private final Function<EntityRef, Optional<Entity>> entities;

    /**
     * @param settings where the portal publishes (only those repositories are written) and as whom
     * @param entities looks entities up by ref, for {@code entityRef}
     */
    public GitCommitAction(GitPublishSettings settings, Function<EntityRef, Optional<Entity>> entities) {
        this.settings = settings;
        this.entities = entities;
    }

    /** Looks entities up in the catalog. */
    public GitCommitAction(GitPublishSettings settings, EntityQueries catalog) {
        this(settings, ref -> catalog.byRef(ref).map(StoredEntity::entity));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Commits workspace files and/or a catalog-info.yaml change (lifecycle, annotations) to a repository"
                + " the portal published, without force.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return INPUT.deepCopy();
    }

    @Override
    public ObjectNode outputSchema() {
        return OUTPUT.deepCopy();
    }

    @Override
    public boolean supportsDryRun() {
        return true;
    }

    @Override
    public Output execute(Input input, ActionContext context) throws Exception {
        Target target = target(input);
        String pushUrl = settings.pushUrlFor(target.repoUrl()).orElseThrow(() -> new ActionInputException(
                target.repoUrl() + " is not a repository the portal publishes (" + settings.urlPattern()
                        + "); portal.git-commit writes only there"));
        Path source = input.sourcePath() == null || input.sourcePath().isBlank() ? null
                : WorkspaceFolder.resolve(context.workspace(), input.sourcePath(), "sourcePath");
        if (source != null) {
            if (!Files.isDirectory(source)) {
                throw new ActionInputException("sourcePath '" + input.sourcePath() + "' is not a folder in the workspace");
            }
            WorkspaceFolder.refuseLinksOut(context.workspace(), source, "sourcePath");
        }
        boolean editsDescriptor = input.lifecycle() != null || input.annotations() != null && !input.annotations().isEmpty();
        if (source == null && !editsDescriptor) {
            throw new ActionInputException("nothing to commit: give sourcePath, lifecycle or annotations");
        }
        if (context.dryRun()) {
            context.log().info("Dry run: would commit '" + input.commitMessage() + "' to " + target.repoUrl()
                    + " (branch " + target.branch() + ")");
            return new Output(target.repoUrl(), target.branch(), PublishGitAction.DRY_RUN_COMMIT, false);
        }
        Path scratch = Files.createTempDirectory("portal-commit-");
        try (Git git = clone(pushUrl, target, scratch)) {
            RevCommit head = git.getRepository().parseCommit(git.getRepository().resolve(Constants.HEAD));
            if (head.getFooterLines(PublishGitAction.RUN_TRAILER).equals(List.of(context.run().id().toString()))
                    && head.getFooterLines(PublishGitAction.STEP_TRAILER).equals(List.of(context.stepId()))) {
                context.log().info(target.repoUrl() + " already has commit " + head.name() + " from this step; nothing to push");
                return new Output(target.repoUrl(), target.branch(), head.name(), true);
            }
            Path tree = git.getRepository().getWorkTree().toPath();
            if (source != null) {
                copyInto(source, repositoryFolder(tree, input.targetPath()));
            }
            if (editsDescriptor) {
                editDescriptor(tree, target, input, context);
            }
            git.add().addFilepattern(".").call();
            if (git.status().call().isClean()) {
                context.log().info("Nothing to change in " + target.repoUrl() + "; its head stays " + head.name());
                return new Output(target.repoUrl(), target.branch(), head.name(), false);
            }
            PersonIdent ident = new PersonIdent(settings.authorName(), settings.authorEmail());
            RevCommit commit = git.commit().setMessage(input.commitMessage().strip() + "\n\n"
                            + PublishGitAction.RUN_TRAILER + ": " + context.run().id() + "\n"
                            + PublishGitAction.STEP_TRAILER + ": " + context.stepId() + "\n")
                    .setAuthor(ident).setCommitter(ident).setSign(false).setNoVerify(true).call();
            push(git, target, head, commit);
            context.log().info("Pushed commit " + commit.name() + " to " + target.repoUrl() + " (branch " + target.branch() + ")");
            return new Output(target.repoUrl(), target.branch(), commit.name(), true);
        } finally {
            FileUtils.delete(scratch.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY | FileUtils.SKIP_MISSING);
        }
    }

    private record Target(String repoUrl, String branch, String descriptor, EntityRef entity) {
    }

    private Target target(Input input) {
        boolean hasRepo = input.repoUrl() != null && !input.repoUrl().isBlank();
        boolean hasEntity = input.entityRef() != null && !input.entityRef().isBlank();
        if (hasRepo == hasEntity) {
            throw new ActionInputException("give exactly one of repoUrl and entityRef");
        }
        if (hasRepo) {
            String branch = input.branch() == null || input.branch().isBlank() ? settings.defaultBranch() : input.branch().strip();
            String descriptor = input.catalogInfoPath() == null || input.catalogInfoPath().isBlank()
                    ? "catalog-info.yaml" : input.catalogInfoPath().strip();
            return new Target(input.repoUrl().strip(), branch, descriptor, null);
        }
        EntityRef ref;
        try {
            ref = EntityRef.parse(input.entityRef().strip());
        } catch (InvalidInputException e) {
            throw new ActionInputException("entityRef '" + input.entityRef() + "' is not an entity ref: " + e.getMessage(), e);
        }
        Entity entity = entities.apply(ref).orElseThrow(() -> new ActionInputException(
                "entityRef '" + input.entityRef() + "': no such entity in the catalog"));
        String location = entity.annotation(Entity.MANAGED_BY_LOCATION).orElse("");
        if (!location.startsWith("url:")) {
            throw new ActionInputException(entity.ref() + " was not read from a git repository (its location is '"
                    + location + "'), so there is no repository to commit to");
        }
        GitTarget git;
        try {
            git = GitTarget.parse(location.substring("url:".length()));
        } catch (InvalidInputException e) {
            throw new ActionInputException(entity.ref() + ": its location " + location + " is not a git file: " + e.getMessage(), e);
        }
        return new Target(git.repository(), git.branch(), git.path(), entity.ref());
    }

    private Git clone(String pushUrl, Target target, Path scratch) throws GitAPIException, IOException {
        Path work = scratch.resolve("work");
        Git git;
        try {
            // no checkout yet: the work tree is written only once links and line endings are off
            git = Git.cloneRepository().setURI(pushUrl).setDirectory(work.toFile()).setBranch(target.branch())
                    .setBranchesToClone(List.of(Constants.R_HEADS + target.branch())).setCloneAllBranches(false)
                    .setNoCheckout(true).setCredentialsProvider(credentials()).setTimeout(timeoutSeconds()).call();
        } catch (TransportException e) {
            throw new IOException("cannot clone " + target.repoUrl() + ": " + e.getMessage(), e);
        }
        try {
            if (git.getRepository().resolve(Constants.HEAD) == null
                    || git.getRepository().exactRef(Constants.R_HEADS + target.branch()) == null) {
                throw new ActionInputException(target.repoUrl() + " has no branch '" + target.branch() + "'");
            }
            StoredConfig config = git.getRepository().getConfig();
            // The host's ~/.gitconfig must neither rewrite the files nor run anything, and a link in
            // the repository is checked out as a plain file: nothing written here leaves the scratch folder.
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_AUTOCRLF, false);
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_SYMLINKS, false);
            config.setString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_HOOKS_PATH,
                    scratch.resolve("no-hooks").toString());
            config.setBoolean(ConfigConstants.CONFIG_COMMIT_SECTION, null, ConfigConstants.CONFIG_KEY_GPGSIGN, false);
            config.save();
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(Constants.HEAD).call();
            return git;
        } catch (GitAPIException | IOException | RuntimeException e) {
            git.close();
            throw e;
        }
    }

    private void push(Git git, Target target, RevCommit expectedHead, RevCommit commit) throws GitAPIException {
        String ref = Constants.R_HEADS + target.branch();
        // Expecting the head we built on: a branch that moved meanwhile is never overwritten.
        RemoteRefUpdate.Status status = null;
        String message = null;
        Iterable<PushResult> results = git.push().setRemote("origin").setCredentialsProvider(credentials())
                .setTimeout(timeoutSeconds()).setForce(false)
                .setRefSpecs(new RefSpec(commit.name() + ":" + ref))
                .setRefLeaseSpecs(new RefLeaseSpec(ref, expectedHead.name()))
                .call();
        for (PushResult result : results) {
            RemoteRefUpdate update = result.getRemoteUpdate(ref);
            if (update != null) {
                status = update.getStatus();
                message = update.getMessage();
            }
        }
        if (status != RemoteRefUpdate.Status.OK && status != RemoteRefUpdate.Status.UP_TO_DATE) {
            // technical: the next attempt clones the new head and applies the change again
            throw new IllegalStateException("pushing to " + target.repoUrl() + " (branch " + target.branch() + ") was rejected ("
                    + status + (message == null ? "" : ": " + message) + ")");
        }
    }

    private static Path repositoryFolder(Path tree, String targetPath) throws IOException {
        Path folder = targetPath == null || targetPath.isBlank() ? tree : tree.resolve(targetPath).normalize();
        if (!folder.startsWith(tree) || folder.startsWith(tree.resolve(".git"))) {
            throw new ActionInputException("targetPath '" + targetPath + "' leaves the repository (or names .git)");
        }
        Files.createDirectories(folder);
        if (!folder.toRealPath().startsWith(tree.toRealPath())) {
            throw new ActionInputException("targetPath '" + targetPath + "' leads out of the repository");
        }
        return folder;
    }

    private static void copyInto(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isSymbolicLink(file)) {
                    throw new ActionInputException("sourcePath contains a link, " + source.relativize(file)
                            + "; links are not committed");
                }
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void editDescriptor(Path tree, Target target, Input input, ActionContext context) throws IOException {
        Path file = tree.resolve(target.descriptor()).normalize();
        if (!file.startsWith(tree) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !file.toRealPath().startsWith(tree.toRealPath())) {
            throw new ActionInputException(target.repoUrl() + " has no file " + target.descriptor() + " on " + target.branch());
        }
        String original = Files.readString(file, StandardCharsets.UTF_8);
        DescriptorEdit.Result edited = DescriptorEdit.apply(original, target.entity(), input.lifecycle(),
                input.annotations() == null ? Map.of() : input.annotations());
        if (edited.documents() == 0) {
            throw new ActionInputException(target.descriptor() + " in " + target.repoUrl() + " holds no "
                    + (target.entity() == null ? "entity" : target.entity().toString()));
        }
        if (!edited.text().equals(original)) {
            Files.writeString(file, edited.text(), StandardCharsets.UTF_8);
            context.log().info("Updated " + edited.documents() + " entity in " + target.descriptor()
                    + (input.lifecycle() == null ? "" : ": lifecycle " + input.lifecycle()));
        }
    }

    private UsernamePasswordCredentialsProvider credentials() {
        return settings.hasCredentials() ? new UsernamePasswordCredentialsProvider(settings.effectiveUsername(),
                settings.password() == null ? "" : settings.password()) : null;
    }

    private int timeoutSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, (settings.pushTimeout().toMillis() + 999) / 1000);
    }
}
