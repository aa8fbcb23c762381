package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.ingest.GitLocationReader;
import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishGitActionTests {

    private static final String CATALOG_INFO = """
            apiVersion: backstage.io/v1alpha1
            kind: Component
            metadata:
              name: orders
            spec:
              type: service
              lifecycle: experimental
              owner: group:default/team-a
            """;

    @TempDir
    Path temp;

    private Path workspace;
    private Path gitRoot;
    private PublishGitAction action;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        workspace = Files.createDirectories(temp.resolve("workspace"));
        gitRoot = Files.createDirectories(temp.resolve("git"));
        action = new PublishGitAction(GitPublishSettings.of(gitRoot.toUri() + "{owner}/{name}.git"));
        write("skeleton/catalog-info.yaml", CATALOG_INFO);
        write("skeleton/README.md", "# orders\n");
        write("skeleton/src/main/java/Orders.java", "class Orders {}\n");
    }

    @Test
    void publishesTheFolderAsOneCommitWithRunAndStepTrailers() throws Exception {
        UUID run = UUID.randomUUID();

        PublishGitAction.Output output = action.execute(input("orders", "team-a"), context(run, "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            RevCommit head = remote.parseCommit(remote.resolve("refs/heads/main"));
            assertThat(output.commitId()).isEqualTo(head.name());
            assertThat(head.getParentCount()).isZero();
            assertThat(head.getFullMessage()).startsWith("Initial commit from template template:default/service\n\n");
            assertThat(head.getFooterLines("Portal-Run")).containsExactly(run.toString());
            assertThat(head.getFooterLines("Portal-Step")).containsExactly("publish");
            assertThat(head.getAuthorIdent().getName()).isEqualTo("Portal Scaffolder");
            assertThat(head.getAuthorIdent().getEmailAddress()).isEqualTo("scaffolder@portal.local");
            assertThat(head.getCommitterIdent().getName()).isEqualTo("Portal Scaffolder");
            assertThat(files(remote, head)).containsExactly(
                    Map.entry("README.md", "# orders\n"),
                    Map.entry("catalog-info.yaml", CATALOG_INFO),
                    Map.entry("src/main/java/Orders.java", "class Orders {}\n"));
        }
    }

    @Test
    void describesWhatItPublishedWithACatalogLocationTheCatalogCanRead() throws Exception {
        PublishGitAction.Output output = action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        String url = gitRoot.toUri() + "team-a/orders.git";
        assertThat(output.remoteUrl()).isEqualTo(url);
        assertThat(output.repoUrl()).isEqualTo(url);
        assertThat(output.branch()).isEqualTo("main");
        assertThat(output.catalogInfoUrl()).isEqualTo(url + "/-/blob/main/catalog-info.yaml");
        assertThat(GitTarget.parse(output.catalogInfoUrl()))
                .isEqualTo(new GitTarget(url, "main", "catalog-info.yaml"));
        SourceContent read = new GitLocationReader(64 * 1024)
                .read(new LocationSpec(LocationSpec.URL, output.catalogInfoUrl()), null);
        assertThat(new String(read.content(), StandardCharsets.UTF_8)).isEqualTo(CATALOG_INFO);
    }

    @Test
    void leavesTheWorkspaceWithoutAGitDirectory() throws Exception {
        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        try (var files = Files.walk(workspace)) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain(".git");
        }
    }

    @Test
    void createsTheMissingBareRepositoryWithTheDescription() throws Exception {
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", "skeleton", null, null,
                "Takes orders");

        action.execute(input, context(UUID.randomUUID(), "publish", false));

        Path created = gitRoot.resolve("team-a/orders.git");
        assertThat(created.resolve("HEAD")).hasContent("ref: refs/heads/main");
        assertThat(created.resolve("description")).hasContent("Takes orders");
        assertThat(log).anyMatch(line -> line.contains("Created the bare repository"));
    }

    @Test
    void publishesToTheRequestedBranchWithTheRequestedMessage() throws Exception {
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", "skeleton", "trunk",
                "Start the orders service", null);

        PublishGitAction.Output output = action.execute(input, context(UUID.randomUUID(), "publish", false));

        assertThat(output.branch()).isEqualTo("trunk");
        assertThat(output.catalogInfoUrl()).endsWith("/-/blob/trunk/catalog-info.yaml");
        try (Repository remote = remote("team-a", "orders")) {
            assertThat(remote.exactRef("refs/heads/main")).isNull();
            RevCommit head = remote.parseCommit(remote.resolve("refs/heads/trunk"));
            assertThat(head.getShortMessage()).isEqualTo("Start the orders service");
            assertThat(head.getFooterLines("Portal-Step")).containsExactly("publish");
        }
    }

    @Test
    void refusesARepositoryThatAlreadyHasCommitsAndLeavesItUntouched() throws Exception {
        ObjectId existing = existingRepository("team-a", "orders");

        assertThatThrownBy(() -> action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false)))
                .isInstanceOfSatisfying(ActionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("portal.repository-exists");
                    assertThat(e.getMessage()).isEqualTo(gitRoot.toUri() + "team-a/orders.git already has commits;"
                            + " refusing to overwrite it");
                });
        try (Repository remote = remote("team-a", "orders")) {
            assertThat(remote.resolve("refs/heads/main")).isEqualTo(existing);
            assertThat(remote.getRefDatabase().getRefsByPrefix(Constants.R_REFS)).hasSize(1);
        }
    }

    @Test
    void refusesARepositoryWhoseOnlyCommitsAreOnAnotherBranch() throws Exception {
        existingRepository("team-a", "orders");
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", "skeleton", "trunk", null, null);

        assertThatThrownBy(() -> action.execute(input, context(UUID.randomUUID(), "publish", false)))
                .isInstanceOfSatisfying(ActionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("portal.repository-exists"));
    }

    @Test
    void returnsTheEarlierCommitWhenTheSameStepRunsAgain() throws Exception {
        ActionContext context = context(UUID.randomUUID(), "publish", false);
        PublishGitAction.Output first = action.execute(input("orders", "team-a"), context);
        write("skeleton/README.md", "# changed since\n");

        PublishGitAction.Output second = action.execute(input("orders", "team-a"), context);

        assertThat(second).isEqualTo(first);
        try (Repository remote = remote("team-a", "orders")) {
            assertThat(remote.resolve("refs/heads/main").name()).isEqualTo(first.commitId());
        }
        assertThat(log).anyMatch(line -> line.contains("nothing to push"));
    }

    @Test
    void refusesTheRepositoryAnotherStepOfTheSameRunPublished() throws Exception {
        UUID run = UUID.randomUUID();
        action.execute(input("orders", "team-a"), context(run, "publish", false));

        assertThatThrownBy(() -> action.execute(input("orders", "team-a"), context(run, "publish-again", false)))
                .isInstanceOfSatisfying(ActionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("portal.repository-exists"));
    }

    @Test
    void dryRunPushesNothingAndCreatesNoRepository() throws Exception {
        PublishGitAction.Output output = action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", true));

        assertThat(output.commitId()).isEqualTo("dry-run");
        assertThat(output.remoteUrl()).isEqualTo(gitRoot.toUri() + "team-a/orders.git");
        assertThat(output.catalogInfoUrl()).endsWith("/-/blob/main/catalog-info.yaml");
        assertThat(gitRoot).isEmptyDirectory();
        assertThat(log).anyMatch(line -> line.startsWith("Dry run: would push 3 files"));
    }

    @Test
    void dryRunLeavesAnExistingRepositoryAlone() throws Exception {
        ObjectId existing = existingRepository("team-a", "orders");

        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", true));

        try (Repository remote = remote("team-a", "orders")) {
            assertThat(remote.resolve("refs/heads/main")).isEqualTo(existing);
        }
    }

    @Test
    void leavesOutCatalogInfoUrlWhenTheFolderHasNoCatalogInfo() throws Exception {
        Files.delete(workspace.resolve("skeleton/catalog-info.yaml"));

        PublishGitAction.Output output = action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        assertThat(output.catalogInfoUrl()).isNull();
        assertThat(output.commitId()).hasSize(40);
    }

    @Test
    void publishesTheWholeWorkspaceWhenNoSourcePathIsGiven() throws Exception {
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", null, null, null, null);

        action.execute(input, context(UUID.randomUUID(), "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            assertThat(files(remote, remote.parseCommit(remote.resolve("refs/heads/main"))))
                    .containsOnlyKeys("skeleton/README.md", "skeleton/catalog-info.yaml",
                            "skeleton/src/main/java/Orders.java");
        }
    }

    @Test
    void leavesOutFilesTheFolderIgnoresAndKeepsExecutableBits() throws Exception {
        write("skeleton/.gitignore", "build/\n");
        write("skeleton/build/Orders.class", "binary");
        Path script = write("skeleton/mvnw", "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            RevCommit head = remote.parseCommit(remote.resolve("refs/heads/main"));
            assertThat(files(remote, head)).containsKey(".gitignore").doesNotContainKey("build/Orders.class");
            assertThat(mode(remote, head, "mvnw")).isEqualTo(FileMode.EXECUTABLE_FILE);
        }
    }

    @Test
    void leavesOutFilesTheGitignoreOfASubfolderIgnores() throws Exception {
        write("skeleton/config/.gitignore", "*.local\n");
        write("skeleton/config/app.yaml", "port: 8080\n");
        write("skeleton/config/app.local", "secret\n");
        write("skeleton/config/dev/app.local", "secret\n");
        write("skeleton/app.local", "kept: the rule is config's\n");

        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            assertThat(files(remote, remote.parseCommit(remote.resolve("refs/heads/main"))))
                    .containsKeys("config/.gitignore", "config/app.yaml", "app.local")
                    .doesNotContainKeys("config/app.local", "config/dev/app.local");
        }
    }

    @Test
    void publishesSymbolicLinksAsLinks() throws Exception {
        Files.createSymbolicLink(workspace.resolve("skeleton/LICENSE"), Path.of("README.md"));
        Files.createSymbolicLink(workspace.resolve("skeleton/sources"), Path.of("src/main/java"));

        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            RevCommit head = remote.parseCommit(remote.resolve("refs/heads/main"));
            assertThat(files(remote, head)).containsEntry("LICENSE", "README.md")
                    .containsEntry("sources", "src/main/java").doesNotContainKey("sources/Orders.java");
            assertThat(mode(remote, head, "sources")).isEqualTo(FileMode.SYMLINK);
        }
    }

    @Test
    void keepsLineEndingsUnlessTheFolderAttributesMarkTheFileAsText() throws Exception {
        write("skeleton/mvnw.cmd", "@echo off\r\n");
        write("skeleton/docs/.gitattributes", "*.txt text\n");
        write("skeleton/docs/notes.txt", "one\r\ntwo\r\n");

        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            assertThat(files(remote, remote.parseCommit(remote.resolve("refs/heads/main"))))
                    .containsEntry("mvnw.cmd", "@echo off\r\n")
                    .containsEntry("docs/notes.txt", "one\ntwo\n");
        }
    }

    @Test
    void leavesOutAGitDirectoryTheFolderAlreadyHas() throws Exception {
        write("skeleton/.git/config", "[core]\n");
        write("skeleton/.git/HEAD", "ref: refs/heads/main\n");

        action.execute(input("orders", "team-a"), context(UUID.randomUUID(), "publish", false));

        try (Repository remote = remote("team-a", "orders")) {
            assertThat(files(remote, remote.parseCommit(remote.resolve("refs/heads/main"))))
                    .containsOnlyKeys("README.md", "catalog-info.yaml", "src/main/java/Orders.java");
        }
    }

    @Test
    void anchorsTheNamePatternsOfItsInputSchema() {
        assertThat(action.inputSchema().at("/properties/repoName/pattern").asText())
                .isEqualTo("^[A-Za-z0-9._-]{1,100}$");
        assertThat(action.inputSchema().at("/properties/owner/pattern").asText())
                .isEqualTo("^[A-Za-z0-9._-]{1,100}$");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "..", ".", "a..b", "orders?x=1", "or ders", "ördérs", ""})
    void refusesARepositoryNameThatIsNotASafePathSegment(String repoName) {
        assertThatThrownBy(() -> action.execute(input(repoName, "team-a"), context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("repoName");
        assertThat(gitRoot).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "..", "team a"})
    void refusesAnOwnerThatIsNotASafePathSegment(String owner) {
        assertThatThrownBy(() -> action.execute(input("orders", owner), context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("owner");
        assertThat(gitRoot).isEmptyDirectory();
    }

    @Test
    void requiresAnOwnerWhenTheUrlPatternHasOne() {
        assertThatThrownBy(() -> action.execute(input("orders", null), context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("owner is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside", "skeleton/../../outside", "/etc", "link-out"})
    void refusesASourcePathOutsideTheWorkspace(String sourcePath) throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(workspace.resolve("link-out"), outside);
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", sourcePath, null, null, null);

        assertThatThrownBy(() -> action.execute(input, context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("must name a folder inside the workspace");
        assertThat(gitRoot).isEmptyDirectory();
    }

    @Test
    void refusesASourcePathThatIsNoFolder() {
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", "missing", null, null, null);

        assertThatThrownBy(() -> action.execute(input, context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("is not a folder");
    }

    @Test
    void refusesAnEmptyFolder() throws IOException {
        Files.createDirectories(workspace.resolve("empty"));
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", "empty", null, null, null);

        assertThatThrownBy(() -> action.execute(input, context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("nothing to publish");
        assertThat(gitRoot).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"feature/x", "a..b", "main.lock", "bad branch"})
    void refusesABranchNameThatCannotBeALocationTarget(String branch) {
        PublishGitAction.Input input = new PublishGitAction.Input("orders", "team-a", "skeleton", branch, null, null);

        assertThatThrownBy(() -> action.execute(input, context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("defaultBranch");
    }

    @Test
    void failsWithoutCreatingAMissingFileRepositoryWhenThatIsTurnedOff() {
        PublishGitAction strict = new PublishGitAction(new GitPublishSettings(gitRoot.toUri() + "{name}.git",
                null, null, null, null, null, false, null));
        PublishGitAction.Input input = new PublishGitAction.Input("orders", null, "skeleton", null, null, null);

        assertThatThrownBy(() -> strict.execute(input, context(UUID.randomUUID(), "publish", false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
        assertThat(gitRoot).isEmptyDirectory();
    }

    @Test
    void describesEveryInputAndOutputProperty() {
        assertThat(action.inputSchema().get("required")).containsExactly(JsonNodeFactory.instance.textNode("repoName"));
        action.inputSchema().get("properties").properties()
                .forEach(property -> assertThat(property.getValue().path("description").asText()).isNotBlank());
        assertThat(action.outputSchema().get("properties").properties()).hasSize(5)
                .allSatisfy(property -> assertThat(property.getValue().path("description").asText()).isNotBlank());
        assertThat(action.supportsDryRun()).isTrue();
        assertThat(action.id()).isEqualTo("portal.publish-git");
    }

    private PublishGitAction.Input input(String repoName, String owner) {
        return new PublishGitAction.Input(repoName, owner, "skeleton", null, null, null);
    }

    private ActionContext context(UUID run, String step, boolean dryRun) {
        TemplateDefinition template = new TemplateDefinition(EntityRef.parse("template:default/service"), "Service",
                "", List.of(), "group:default/platform", "etag-1", List.of(), "create-service",
                Optional.empty(), Optional.of("./skeleton"), Optional.empty());
        RunInfo info = new RunInfo(run, template, "etag-1@1", JsonNodeFactory.instance.objectNode(),
                "user:default/alice");
        return new ActionContext(info, step, workspace, dryRun, new ActionLog() {
            @Override
            public void info(String message) {
                log.add(message);
            }

            @Override
            public void warn(String message) {
                log.add(message);
            }
        });
    }

    private Path write(String relative, String content) throws IOException {
        Path file = workspace.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private Repository remote(String owner, String name) throws IOException {
        return Git.open(gitRoot.resolve(owner).resolve(name + ".git").toFile()).getRepository();
    }

    /** A bare repository with one commit on main, made by someone else. */
    private ObjectId existingRepository(String owner, String name) throws Exception {
        Path work = Files.createDirectories(temp.resolve("elsewhere"));
        Files.writeString(work.resolve("keep.txt"), "keep me\n");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            ObjectId commit = git.commit().setMessage("Someone else's work").setAuthor("Bob", "bob@example.com")
                    .setCommitter("Bob", "bob@example.com").setSign(false).call();
            File bare = gitRoot.resolve(owner).resolve(name + ".git").toFile();
            Git.init().setBare(true).setDirectory(bare).setInitialBranch("main").call().close();
            git.push().setRemote(bare.toURI().toString()).add("main").call();
            return commit;
        }
    }

    /** The mode of {@code path} in the commit's tree. */
    private static FileMode mode(Repository repository, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            assertThat(walk).as(path + " in " + commit.name()).isNotNull();
            return walk.getFileMode(0);
        }
    }

    private static Map<String, String> files(Repository repository, RevCommit commit) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (RevWalk revWalk = new RevWalk(repository); TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(revWalk.parseCommit(commit).getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                files.put(walk.getPathString(), new String(repository.open(walk.getObjectId(0), Constants.OBJ_BLOB)
                        .getBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
