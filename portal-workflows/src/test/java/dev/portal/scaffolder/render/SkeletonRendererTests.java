package dev.portal.scaffolder.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.run.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SkeletonRendererTests {

    private static final String VALUES = """
            {"name": "orders", "description": "Takes orders", "owner": "group:default/team-a",
             "packagePath": "com/acme/orders", "dependencies": ["web", "jdbc"]}""";

    @TempDir
    Path dir;

    private final SkeletonRenderer renderer = new SkeletonRenderer(new SandboxedVelocity(RenderLimits.defaults()));

    private Path workspace() {
        return dir.resolve("workspace");
    }

    private static TemplateModel model(String json) {
        return TemplateModel.of(Runs.run(Runs.template(null, null), Runs.json(json)), null);
    }

    private RenderedSkeleton renderService(String targetPath) throws Exception {
        return renderer.render(SkeletonFixtures.service(), workspace(), targetPath, model(VALUES), List.of("scripts/**"),
                ActionLog.discarding());
    }

    private Path skeleton(Map<String, String> files) throws Exception {
        Path skeleton = dir.resolve("skeleton");
        for (var file : files.entrySet()) {
            Path path = skeleton.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return skeleton;
    }

    private void assertNothingWrittenOutsideTheWorkspace(Map<String, String> before) {
        assertThat(SkeletonFixtures.snapshot(dir, workspace())).isEqualTo(before);
    }

    @Test
    void rendersFileContentsAndPathNames() throws Exception {
        RenderedSkeleton rendered = renderService("service");

        Path service = workspace().resolve("service");
        assertThat(rendered.targetPath()).isEqualTo("service");
        assertThat(rendered.files()).isEqualTo(5);
        assertThat(service.resolve("src/main/java/com/acme/orders/App.java")).content()
                .startsWith("package com.acme.orders;")
                .contains("System.out.println(\"orders\");");
        assertThat(service.resolve("README.md")).content().isEqualTo("""
                # orders

                Takes orders

                Dependencies:
                - WEB
                - JDBC

                Created by run %s from template:default/service.
                """.formatted(Runs.RUN_ID));
    }

    @Test
    void removesAStagingFolderThatACrashedRenderLeftBehind() throws Exception {
        Path leftover = Files.createDirectories(workspace().resolve(SkeletonRenderer.STAGING_PREFIX + "crashed/half"));
        Files.writeString(leftover.resolve("README.md"), "half written");

        renderService(".");

        assertThat(workspace().resolve(SkeletonRenderer.STAGING_PREFIX + "crashed")).doesNotExist();
        assertThat(workspace().resolve("README.md")).exists();
    }

    @Test
    void copiesBinaryFilesByteForByte() throws Exception {
        renderService("service");

        assertThat(workspace().resolve("service/docs/logo.png"))
                .hasBinaryContent(Files.readAllBytes(SkeletonFixtures.service().resolve("docs/logo.png")));
    }

    @Test
    void copiesFilesMatchingCopyWithoutTemplatingAsTheyAreAndKeepsThemExecutable() throws Exception {
        renderService("service");

        Path script = workspace().resolve("service/scripts/run.sh");
        assertThat(script).hasSameBinaryContentAs(SkeletonFixtures.service().resolve("scripts/run.sh"));
        assertThat(Files.isExecutable(script)).isTrue();
    }

    @Test
    void anUndefinedReferenceFailsNamingTheSkeletonFileAndTheReference() {
        assertThatThrownBy(() -> renderer.render(SkeletonFixtures.service(), workspace(), "service", model(VALUES),
                List.of(), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("skeleton file 'scripts/run.sh' cannot be rendered")
                .hasMessageContaining("$HOME")
                .hasMessageContaining("line 2");
        assertThat(workspace().resolve("service")).doesNotExist();
    }

    @Test
    void aValueThatLeadsAPathOutOfTheTargetIsRefusedAndNothingIsWrittenOutside() throws Exception {
        Path skeleton = skeleton(Map.of("${values.name}/x.txt", "hello"));
        Map<String, String> before = SkeletonFixtures.snapshot(dir, workspace());

        assertThatThrownBy(() -> renderer.render(skeleton, workspace(), "out", model("{\"name\": \"../../evil\"}"),
                List.of(), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("skeleton folder '${values.name}' renders to the path '../../evil'")
                .hasMessageContaining("'..'");
        assertNothingWrittenOutsideTheWorkspace(before);
        assertThat(workspace()).isEmptyDirectory();
    }

    @Test
    void aValueThatMakesAnAbsolutePathIsRefusedAndNothingIsWrittenOutside() throws Exception {
        Path skeleton = skeleton(Map.of("${values.name}.txt", "hello"));
        Map<String, String> before = SkeletonFixtures.snapshot(dir, workspace());

        assertThatThrownBy(() -> renderer.render(skeleton, workspace(), null, model("{\"name\": \"" + dir + "/evil\"}"),
                List.of(), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("skeleton file '${values.name}.txt' renders to the path '" + dir + "/evil.txt'")
                .hasMessageContaining("absolute");
        assertNothingWrittenOutsideTheWorkspace(before);
        assertThat(dir.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void aValueThatRendersToNothingIsRefusedRatherThanMergingFolders() throws Exception {
        Path skeleton = skeleton(Map.of("src/${values.name}/x.txt", "hello"));

        assertThatThrownBy(() -> renderer.render(skeleton, workspace(), null, model("{\"name\": \"\"}"),
                List.of(), ActionLog.discarding()))
                .hasMessageContaining("skeleton folder 'src/${values.name}' renders to the path 'src/'")
                .hasMessageContaining("empty segment");
    }

    @Test
    void aSymbolicLinkInTheSkeletonIsRefusedAndNothingIsWrittenOutside() throws Exception {
        Path skeleton = skeleton(Map.of("README.md", "hello"));
        Files.writeString(dir.resolve("secret.txt"), "not for templates");
        Files.createSymbolicLink(skeleton.resolve("passwd"), dir.resolve("secret.txt"));
        Map<String, String> before = SkeletonFixtures.snapshot(dir, workspace());

        assertThatThrownBy(() -> renderer.render(skeleton, workspace(), "out", model("{}"), List.of(), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("symbolic link, 'passwd'");
        assertNothingWrittenOutsideTheWorkspace(before);
        assertThat(workspace().resolve("out")).doesNotExist();
    }

    @Test
    void aTargetPathOutsideTheWorkspaceIsRefused() {
        assertThatThrownBy(() -> renderService("../elsewhere"))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("targetPath '../elsewhere' may not contain '..'");
        assertThatThrownBy(() -> renderService("/tmp/elsewhere"))
                .hasMessageContaining("must be a relative path inside the workspace");
        assertThat(dir.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void aTargetPathThroughALinkInTheWorkspaceIsRefused() throws Exception {
        Files.createDirectories(workspace());
        Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(workspace().resolve("link"), dir.resolve("outside"));

        assertThatThrownBy(() -> renderService("link/service"))
                .hasMessageContaining("goes through the link 'link'");
        assertThat(dir.resolve("outside")).isEmptyDirectory();
    }

    @Test
    void twoEntriesRenderingToTheSamePathAreRefused() throws Exception {
        Path skeleton = skeleton(Map.of("${values.a}.txt", "a", "${values.b}.txt", "b"));

        assertThatThrownBy(() -> renderer.render(skeleton, workspace(), null, model("{\"a\": \"x\", \"b\": \"x\"}"),
                List.of(), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("renders to 'x.txt'");
    }

    @Test
    void aSkeletonWithMoreFilesThanTheLimitIsRefused() {
        SkeletonRenderer small = new SkeletonRenderer(new SandboxedVelocity(RenderLimits.defaults().withMaxFiles(3)));

        assertThatThrownBy(() -> small.render(SkeletonFixtures.service(), workspace(), null, model(VALUES),
                List.of("scripts/**"), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("more than 3 files (RenderLimits.maxFiles)");
        assertThat(workspace()).isEmptyDirectory();
    }

    @Test
    void aSkeletonLargerThanTheTotalLimitIsRefused() {
        SkeletonRenderer small = new SkeletonRenderer(new SandboxedVelocity(RenderLimits.defaults().withMaxBytes(1000, 500)));

        assertThatThrownBy(() -> small.render(SkeletonFixtures.service(), workspace(), null, model(VALUES),
                List.of("scripts/**"), ActionLog.discarding()))
                .hasMessageContaining("RenderLimits.maxTotalBytes");
    }

    @Test
    void renderingAgainGivesTheIdenticalResultAndReplacesWhatWasThere() throws Exception {
        renderService("service");
        Map<String, String> first = SkeletonFixtures.snapshot(workspace(), null);
        Files.writeString(workspace().resolve("service/stale.txt"), "from an earlier attempt");
        Files.delete(workspace().resolve("service/README.md"));

        renderService("service");

        assertThat(SkeletonFixtures.snapshot(workspace(), null)).isEqualTo(first);
    }

    @Test
    void aFailedRenderLeavesThePreviousResultAsItWas() throws Exception {
        renderService("service");
        Map<String, String> first = SkeletonFixtures.snapshot(workspace(), null);

        assertThatThrownBy(() -> renderer.render(SkeletonFixtures.service(), workspace(), "service", model("{\"name\": \"x\"}"),
                List.of("scripts/**"), ActionLog.discarding()))
                .isInstanceOf(ActionInputException.class);

        assertThat(SkeletonFixtures.snapshot(workspace(), null)).isEqualTo(first);
    }

    @Test
    void rendersIntoTheWorkspaceItselfReplacingItsContents() throws Exception {
        Files.createDirectories(workspace());
        Files.writeString(workspace().resolve("stale.txt"), "old");

        RenderedSkeleton rendered = renderService(null);

        assertThat(rendered.targetPath()).isEqualTo(".");
        assertThat(workspace().resolve("README.md")).exists();
        assertThat(workspace().resolve("stale.txt")).doesNotExist();
        try (var entries = Files.list(workspace())) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("README.md", "catalog-info.yaml", "docs", "scripts", "src");
        }
    }

    @Test
    void stampsProvenanceIntoEveryDocumentOfCatalogInfo() throws Exception {
        renderService("service");

        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = new YAMLMapper().readerFor(JsonNode.class)
                .readValues(workspace().resolve("service/catalog-info.yaml").toFile())) {
            iterator.forEachRemaining(documents::add);
        }
        assertThat(documents).hasSize(2).allSatisfy(document -> {
            JsonNode annotations = document.path("metadata").path("annotations");
            assertThat(annotations.path(Provenance.RUN_ID).asText()).isEqualTo(Runs.RUN_ID.toString());
            assertThat(annotations.path(Provenance.TEMPLATE).asText()).isEqualTo("template:default/service");
            assertThat(annotations.path(Provenance.TEMPLATE_VERSION).asText()).isEqualTo("etag-1@3");
        });
        JsonNode component = documents.getFirst();
        assertThat(component.path("metadata").path("name").asText()).isEqualTo("orders");
        assertThat(component.path("metadata").path("annotations").path("github.com/project-slug").asText()).isEqualTo("acme/orders");
        assertThat(component.fieldNames()).toIterable().containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(documents.get(1).path("spec").path("definition").asText()).isEqualTo("openapi: 3.0.3\n");
    }

    @Test
    void logsASummary() throws Exception {
        List<String> lines = new ArrayList<>();
        renderer.render(SkeletonFixtures.service(), workspace(), "service", model(VALUES), List.of("scripts/**"), new ActionLog() {
            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void warn(String message) {
                lines.add(message);
            }
        });

        assertThat(lines).last().asString().startsWith("rendered 5 files").endsWith("into service");
    }
}
