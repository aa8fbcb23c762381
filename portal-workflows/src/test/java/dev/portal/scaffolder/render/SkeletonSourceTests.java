package dev.portal.scaffolder.render;

import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SkeletonSourceTests {

    @TempDir
    Path dir;

    private final SkeletonSource source = new SkeletonSource(LocationPolicy.fenced(List.of(), List.of()), RenderLimits.defaults());

    private Path templateFile() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("templates/service"));
        Files.createDirectories(folder.resolve("skeleton"));
        Files.writeString(folder.resolve("skeleton/README.md"), "# $values.name");
        return Files.writeString(folder.resolve("template.yaml"), "kind: Template");
    }

    private static TemplateDefinition fromGit(GitFixture git, String skeleton) {
        return Runs.template(skeleton, new LocationSpec(LocationSpec.URL, git.blob("templates/service/template.yaml")));
    }

    @Test
    void aRelativeSkeletonIsTheFolderNextToAFileTemplate() throws Exception {
        Path template = templateFile();

        SkeletonLocation location = source.locate(Runs.fileTemplate("./skeleton", template), Optional.empty());

        assertThat(location).isEqualTo(new SkeletonLocation.Folder(template.getParent().resolve("skeleton")));
        try (Skeleton skeleton = source.open(location)) {
            assertThat(skeleton.root().resolve("README.md")).hasContent("# $values.name");
        }
    }

    @Test
    void aStepsUrlIsUsedInsteadOfTheTemplatesSkeleton() throws Exception {
        Path template = templateFile();
        Files.createDirectories(template.getParent().resolve("other"));

        SkeletonLocation location = source.locate(Runs.fileTemplate("./skeleton", template), Optional.of("other"));

        assertThat(location).isEqualTo(new SkeletonLocation.Folder(template.getParent().resolve("other")));
    }

    @Test
    void aRelativeSkeletonThatLeavesTheTemplatesFolderIsRefused() throws Exception {
        Path template = templateFile();

        assertThatThrownBy(() -> source.locate(Runs.fileTemplate("../../etc", template), Optional.empty()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("template:default/service")
                .hasMessageContaining("'../../etc' leaves the template's folder " + template.getParent());
    }

    @Test
    void aSkeletonFolderThatIsALinkOutOfTheTemplatesFolderIsRefused() throws Exception {
        Path template = templateFile();
        Files.createSymbolicLink(template.getParent().resolve("sneaky"), dir);

        assertThatThrownBy(() -> source.locate(Runs.fileTemplate("sneaky", template), Optional.empty()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("'sneaky' is a link to " + dir.toRealPath());
    }

    @Test
    void anAbsoluteSkeletonIsReadOnlyWhereThePolicyAllows() throws Exception {
        Path template = templateFile();
        Path skeleton = template.getParent().resolve("skeleton");
        TemplateDefinition definition = Runs.fileTemplate(skeleton.toString(), template);

        assertThatThrownBy(() -> source.locate(definition, Optional.empty()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("the skeleton '" + skeleton + "' may not be read");
        SkeletonSource allowing = new SkeletonSource(LocationPolicy.fenced(List.of(dir), List.of()), RenderLimits.defaults());
        assertThat(allowing.locate(definition, Optional.empty())).isEqualTo(new SkeletonLocation.Folder(skeleton));
    }

    @Test
    void aTemplateWithoutSkeletonAndAStepWithoutUrlIsRefused() {
        assertThatThrownBy(() -> source.locate(Runs.template(null, null), Optional.empty()))
                .isInstanceOf(ActionInputException.class)
                .hasMessage("template template:default/service has no spec.skeleton and the step gives no url");
    }

    @Test
    void aMissingSkeletonFolderIsReported() throws Exception {
        Path template = templateFile();
        SkeletonLocation location = source.locate(Runs.fileTemplate("./nope", template), Optional.empty());

        assertThatThrownBy(() -> source.open(location))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aRelativeSkeletonOfAGitTemplateIsTheFolderInTheSameRepositoryAndBranch() throws Exception {
        try (GitFixture git = GitFixture.create(dir)) {
            git.write("templates/service/template.yaml", "kind: Template");
            git.write("templates/service/skeleton/README.md", "# $values.name");
            git.write("templates/service/skeleton/src/${values.name}.txt", "hello");
            git.write("templates/service/skeleton/gradlew", "#!/bin/sh");
            git.work().resolve("templates/service/skeleton/gradlew").toFile().setExecutable(true);
            git.write("other/secret.txt", "not part of the skeleton");
            git.push();

            SkeletonLocation location = source.locate(fromGit(git, "./skeleton"), Optional.empty());

            assertThat(location).isEqualTo(new SkeletonLocation.GitFolder(
                    new GitTarget(git.remote(), "main", "templates/service/skeleton")));
            Path root;
            try (Skeleton skeleton = source.open(location)) {
                root = skeleton.root();
                assertThat(SkeletonFixtures.snapshot(root, null).keySet())
                        .containsExactly("", "README.md", "gradlew", "src", "src/${values.name}.txt");
                assertThat(root.resolve("README.md")).hasContent("# $values.name");
                assertThat(Files.isExecutable(root.resolve("gradlew"))).isTrue();
            }
            assertThat(root).doesNotExist();
        }
    }

    @Test
    void aGitTemplatesSkeletonMayNotLeaveTheRepositoryNorPointAtFilesOnTheServer() throws Exception {
        try (GitFixture git = GitFixture.create(dir)) {
            assertThatThrownBy(() -> source.locate(fromGit(git, "../../../x"), Optional.empty()))
                    .isInstanceOf(ActionInputException.class)
                    .hasMessageContaining("leaves the repository");
            assertThatThrownBy(() -> source.locate(fromGit(git, "/etc"), Optional.empty()))
                    .isInstanceOf(ActionInputException.class)
                    .hasMessageContaining("may not point at files on this server");
        }
    }

    @Test
    void aSymbolicLinkInAGitSkeletonIsRefused() throws Exception {
        try (GitFixture git = GitFixture.create(dir)) {
            git.write("templates/service/skeleton/README.md", "hello");
            Files.createSymbolicLink(git.work().resolve("templates/service/skeleton/passwd"), Path.of("/etc/passwd"));
            git.push();
            SkeletonLocation location = source.locate(fromGit(git, "skeleton"), Optional.empty());

            assertThatThrownBy(() -> source.open(location))
                    .isInstanceOf(ActionInputException.class)
                    .hasMessageContaining("contains a symbolic link, 'passwd'");
        }
    }

    @Test
    void aMissingGitFolderOrBranchIsReported() throws Exception {
        try (GitFixture git = GitFixture.create(dir)) {
            git.write("templates/service/template.yaml", "kind: Template");
            git.push();

            assertThatThrownBy(() -> source.open(source.locate(fromGit(git, "skeleton"), Optional.empty())))
                    .isInstanceOf(ActionInputException.class)
                    .hasMessageContaining("no 'templates/service/skeleton' on main");
            assertThatThrownBy(() -> source.open(new SkeletonLocation.GitFolder(new GitTarget(git.remote(), "release", "x"))))
                    .isInstanceOf(ActionInputException.class)
                    .hasMessageContaining("'release', which the repository does not have");
        }
    }

    @Test
    void anAbsoluteGitSkeletonIsReadOnlyFromHostsThePolicyAllows() throws Exception {
        try (GitFixture git = GitFixture.create(dir)) {
            git.write("skeletons/basic/README.md", "hello");
            git.push();
            TemplateDefinition template = Runs.template("url:" + git.blob("skeletons/basic"), null);

            assertThatThrownBy(() -> source.locate(template, Optional.empty()))
                    .isInstanceOf(ActionInputException.class)
                    .hasMessageContaining("may not be read");
            SkeletonSource allowing = new SkeletonSource(LocationPolicy.allowAll(), RenderLimits.defaults());
            try (Skeleton skeleton = allowing.open(allowing.locate(template, Optional.empty()))) {
                assertThat(skeleton.root().resolve("README.md")).hasContent("hello");
            }
        }
    }
}
