package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.render.GitFixture;
import dev.portal.scaffolder.render.Runs;
import dev.portal.scaffolder.render.SkeletonFixtures;
import dev.portal.scaffolder.run.Provenance;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchTemplateActionTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String VALUES = """
            {"name": "orders", "description": "Takes orders", "owner": "group:default/team-a",
             "packagePath": "com/acme/orders", "dependencies": ["web"]}""";

    @TempDir
    Path dir;

    private final FetchTemplateAction action = new FetchTemplateAction(LocationPolicy.fenced(List.of(), List.of()));
    private final List<String> log = new ArrayList<>();

    private ActionContext context(TemplateDefinition template) {
        return new ActionContext(Runs.run(template, Runs.json(VALUES)), "render", dir.resolve("workspace"), false,
                new ActionLog() {
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

    private Path fileTemplate() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("templates/service"));
        SkeletonFixtures.copy(SkeletonFixtures.service(), folder.resolve("skeleton"));
        return Files.writeString(folder.resolve("template.yaml"), "kind: Template");
    }

    private static FetchTemplateAction.Input input(String json) throws Exception {
        return JSON.readValue(json, FetchTemplateAction.Input.class);
    }

    @Test
    void rendersTheSkeletonNextToAFileTemplateIntoTheWorkspace() throws Exception {
        TemplateDefinition template = Runs.fileTemplate("./skeleton", fileTemplate());

        FetchTemplateAction.Output output = action.execute(
                input("{\"targetPath\": \"service\", \"copyWithoutTemplating\": [\"scripts/**\"]}"), context(template));

        assertThat(output).isEqualTo(new FetchTemplateAction.Output("service", 5));
        Path service = dir.resolve("workspace/service");
        assertThat(service.resolve("src/main/java/com/acme/orders/App.java")).content().startsWith("package com.acme.orders;");
        assertThat(service.resolve("catalog-info.yaml")).content().contains(Provenance.RUN_ID + ": " + Runs.RUN_ID);
        assertThat(log).first().asString().startsWith("fetching skeleton " + dir.resolve("templates/service/skeleton"));
        assertThat(log).last().asString().startsWith("rendered 5 files");
    }

    @Test
    void theStepsValuesAreMergedOverTheRunsValues() throws Exception {
        TemplateDefinition template = Runs.fileTemplate("./skeleton", fileTemplate());

        action.execute(input("{\"values\": {\"name\": \"billing\"}, \"copyWithoutTemplating\": [\"scripts/**\"]}"), context(template));

        assertThat(dir.resolve("workspace/README.md")).content().startsWith("# billing\n\nTakes orders");
    }

    @Test
    void rendersTheSkeletonNextToAGitTemplate() throws Exception {
        try (GitFixture git = GitFixture.create(dir.resolve("git"))) {
            git.write("templates/service/template.yaml", "kind: Template");
            git.write("templates/service/skeleton/catalog-info.yaml", """
                    apiVersion: backstage.io/v1alpha1
                    kind: Component
                    metadata:
                      name: ${values.name}
                    spec:
                      owner: ${values.owner}
                    """);
            git.write("templates/service/skeleton/${values.name}.md", "# $values.description");
            git.push();
            TemplateDefinition template = Runs.template("./skeleton",
                    new LocationSpec(LocationSpec.URL, git.blob("templates/service/template.yaml")));

            FetchTemplateAction.Output output = action.execute(FetchTemplateAction.Input.defaults(), context(template));

            assertThat(output).isEqualTo(new FetchTemplateAction.Output(".", 2));
            assertThat(dir.resolve("workspace/orders.md")).hasContent("# Takes orders");
            assertThat(dir.resolve("workspace/catalog-info.yaml")).content()
                    .contains("name: orders", Provenance.TEMPLATE + ": template:default/service");
        }
    }

    @Test
    void aTemplateWithoutSkeletonFailsWithoutRetries() {
        assertThatThrownBy(() -> action.execute(FetchTemplateAction.Input.defaults(), context(Runs.template(null, null))))
                .isInstanceOf(ActionInputException.class)
                .hasMessage("template template:default/service has no spec.skeleton and the step gives no url");
    }

    @Test
    void aTargetPathOutsideTheWorkspaceFailsWithoutRetries() throws Exception {
        TemplateDefinition template = Runs.fileTemplate("./skeleton", fileTemplate());

        assertThatThrownBy(() -> action.execute(input("{\"targetPath\": \"../x\"}"), context(template)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("must stay inside the workspace");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void describesEveryPropertyOfItsInputAndOutput() {
        for (ObjectNode schema : List.of(action.inputSchema(), action.outputSchema())) {
            assertThat(schema.path("type").asText()).isEqualTo("object");
            assertThat(schema.path("properties").properties()).isNotEmpty().allSatisfy(property ->
                    assertThat(property.getValue().path("description").asText()).as(property.getKey()).isNotBlank());
        }
        JsonNode input = action.inputSchema().path("properties");
        assertThat(input.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("url", "targetPath", "values", "copyWithoutTemplating");
    }

    @Test
    void isTheFetchTemplateJobTypeAndRunsInDryRuns() {
        assertThat(action.id()).isEqualTo("portal.fetch-template");
        assertThat(action.supportsDryRun()).isTrue();
        assertThat(action.inputType()).isEqualTo(FetchTemplateAction.Input.class);
    }
}
