package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** portal.git-commit against bare repositories on disk: what it writes, where it refuses, and redelivery. */
class GitCommitActionTests {

    @TempDir
    Path dir;

    private GitPublishSettings settings;
    private GitCommitAction commit;
    private final UUID runId = UUID.randomUUID();

    @BeforeEach
    void publishOne() throws Exception {
        settings = GitPublishSettings.of("file://" + dir.resolve("remotes") + "/{name}.git");
        commit = new GitCommitAction(settings, ref -> Optional.empty());
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        CatalogTestSupport.write(workspace.resolve("catalog-info.yaml"), CatalogTestSupport.component("ledger", "group:default/payments"));
        new PublishGitAction(settings).execute(new PublishGitAction.Input("ledger", null, null, null, null, null),
                context("publish", workspace));
    }

    private ActionContext context(String step, Path workspace) {
        TemplateDefinition template = new TemplateDefinition(EntityRef.parse("template:default/service"), "Service", "",
                List.of(), "", "etag", List.of(), "p", Optional.empty(), Optional.empty(), Optional.empty());
        return new ActionContext(new RunInfo(runId, template, "etag@1", JsonNodeFactory.instance.objectNode(),
                "user:default/alice"), step, workspace, false, ActionLog.discarding());
    }

    private String repoUrl() {
        return "file://" + dir.resolve("remotes/ledger.git");
    }

    private List<RevCommit> commits() throws Exception {
        try (Git git = Git.open(dir.resolve("remotes/ledger.git").toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            git.log().add(git.getRepository().resolve(Constants.R_HEADS + "main")).call().forEach(commits::add);
            return commits;
        }
    }

    private static GitCommitAction.Input lifecycle(String repoUrl, String lifecycle) {
        return new GitCommitAction.Input(repoUrl, null, null, null, null, null, lifecycle,
                Map.of("portal.dev/why", "tested"), "Mark " + lifecycle);
    }

    @Test
    void editsTheDescriptorOnceAndARedeliveryPushesNothing() throws Exception {
        GitCommitAction.Output first = commit.execute(lifecycle(repoUrl(), "deprecated"), context("deprecate", dir));
        GitCommitAction.Output again = commit.execute(lifecycle(repoUrl(), "deprecated"), context("deprecate", dir));

        assertThat(first.changed()).isTrue();
        assertThat(again.commitId()).isEqualTo(first.commitId());
        List<RevCommit> commits = commits();
        assertThat(commits).hasSize(2);
        assertThat(commits.getFirst().getFooterLines("Portal-Step")).containsExactly("deprecate");
    }

    @Test
    void aChangeAlreadyInPlaceCommitsNothing() throws Exception {
        commit.execute(lifecycle(repoUrl(), "deprecated"), context("first", dir));

        GitCommitAction.Output second = commit.execute(lifecycle(repoUrl(), "deprecated"), context("second", dir));

        assertThat(second.changed()).isFalse();
        assertThat(commits()).hasSize(2);
    }

    @Test
    void copiesWorkspaceFilesIntoTheTargetFolder() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("run-workspace/stub/src"));
        Files.writeString(workspace.resolve("Api.java"), "interface Api {}");

        commit.execute(new GitCommitAction.Input(repoUrl(), null, null, null, "stub", "api", null, null, "Add the stub"),
                context("stub", dir.resolve("run-workspace")));

        try (Git git = Git.cloneRepository().setURI(repoUrl()).setDirectory(dir.resolve("check").toFile()).call()) {
            assertThat(dir.resolve("check/api/src/Api.java")).hasContent("interface Api {}");
        }
    }

    @Test
    void refusesRepositoriesOutsideThePublishPatternAndPathsOutOfTheRepository() {
        assertThatThrownBy(() -> commit.execute(lifecycle("file://" + dir.resolve("elsewhere/ledger.git"), "deprecated"),
                context("x", dir)))
                .isInstanceOf(ActionInputException.class).hasMessageContaining("is not a repository the portal publishes");
        assertThatThrownBy(() -> commit.execute(new GitCommitAction.Input(repoUrl(), null, null, null, "workspace", "../../escape",
                null, null, "Escape"), context("y", dir)))
                .isInstanceOf(ActionInputException.class).hasMessageContaining("leaves the repository");
        assertThatThrownBy(() -> commit.execute(new GitCommitAction.Input(repoUrl(), "component:default/ledger", null, null, null,
                null, "deprecated", null, "Both"), context("z", dir)))
                .isInstanceOf(ActionInputException.class).hasMessageContaining("exactly one of repoUrl and entityRef");
    }
}
