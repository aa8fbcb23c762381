package dev.portal.scaffolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.error.ConflictException;
import dev.portal.scaffolder.action.builtin.FetchTemplateAction;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.template.TemplateDefinition;
import dev.portal.scaffolder.testing.EchoAction;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which templates the Scaffolder offers and what it says about them: orphans are not offered, a
 * broken BPMN is reported when the template is registered, a dry run renders as the run's fetch
 * step would.
 */
class TemplateChecksIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;

    @BeforeAll
    static void start() {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), (Catalog catalog) -> List.of(new LogAction(), new EchoAction(),
                new FetchTemplateAction(LocationPolicy.fenced(List.of(), List.of()))));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aTemplateWhoseLocationWasDeletedIsNeitherOfferedNorStartable() throws Exception {
        Catalog.Registration registration = register("gone", Bpmn.createExecutableProcess("gone").startEvent().endEvent().done(), "");
        assertThat(portal.scaffolder.templates()).extracting(template -> template.ref().name()).contains("gone");

        portal.catalog.removeLocation(registration.location().id());

        assertThat(portal.scaffolder.templates()).extracting(template -> template.ref().name()).doesNotContain("gone");
        assertThatThrownBy(() -> portal.scaffolder.start(EntityRef.parse("template:default/gone"), values("x"), "user:default/alice"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("template:default/gone is an orphan");
        assertThatThrownBy(() -> portal.scaffolder.dryRun(EntityRef.parse("template:default/gone"), values("x"), "user:default/alice"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("template:default/gone");
    }

    @Test
    void anUnknownJobTypeIsReportedWhenTheTemplateIsRegistered() throws Exception {
        register("typo", Bpmn.createExecutableProcess("typo").startEvent()
                .serviceTask("publish", task -> task.zeebeJobType("portal.publsh-git")).endEvent().done(), "");

        assertThat(portal.scaffolder.templateProblems()).hasEntrySatisfying("template:default/typo", problem ->
                assertThat(problem).contains("element 'publish' (serviceTask) uses job type 'portal.publsh-git'"));
    }

    @Test
    void aBadFeelExpressionIsReportedWhenTheTemplateIsRegistered() throws Exception {
        register("badfeel", Bpmn.createExecutableProcess("badfeel").startEvent()
                .serviceTask("echo", task -> task.zeebeJobType("test.echo").zeebeInputExpression("values.name +", "text"))
                .endEvent().done(), "");

        assertThat(portal.scaffolder.templateProblems()).hasEntrySatisfying("template:default/badfeel", problem ->
                assertThat(problem).contains("template:default/badfeel").contains("values.name +"));
    }

    @Test
    void aFixedTemplateIsNoLongerReported() throws Exception {
        register("fixed", Bpmn.createExecutableProcess("fixed").startEvent()
                .serviceTask("echo", task -> task.zeebeJobType("test.ecko")).endEvent().done(), "");
        assertThat(portal.scaffolder.templateProblems()).containsKey("template:default/fixed");

        Catalog.Registration again = register("fixed", Bpmn.createExecutableProcess("fixed").startEvent()
                .serviceTask("echo", task -> task.zeebeJobType("test.echo").zeebeInputExpression("values.name", "text"))
                .endEvent().done(), "  description: fixed\n");
        portal.catalog.refresh(EntityRef.parse("template:default/fixed"));

        assertThat(again.errors()).isEmpty();
        assertThat(portal.scaffolder.templateProblems()).doesNotContainKey("template:default/fixed");
    }

    @Test
    void aDryRunHonoursTheInputsTheProcessGivesItsFetchStep() throws Exception {
        Path skeleton = Files.createDirectories(dir.resolve("templates").resolve("verbatim").resolve("skeleton"));
        Files.writeString(skeleton.resolve("README.md"), "# ${values.name}\n");
        Files.createDirectories(skeleton.resolve("static"));
        // a reference Velocity's strict mode refuses: the run copies this file as it is
        Files.writeString(skeleton.resolve("static").resolve("deploy.sh"), "echo ${UNDEFINED_IN_VELOCITY}\n");
        register("verbatim", Bpmn.createExecutableProcess("verbatim").startEvent()
                .serviceTask("fetch", task -> task.zeebeJobType(FetchTemplateAction.ID)
                        .zeebeInputExpression("[\"static/**\"]", "copyWithoutTemplating")
                        .zeebeInput("service", "targetPath"))
                .endEvent().done(), "  skeleton: ./skeleton\n");

        Scaffolder.DryRunResult result = portal.scaffolder.dryRun(EntityRef.parse("template:default/verbatim"), values("orders"),
                "user:default/alice");

        assertThat(result.files()).extracting(Scaffolder.DryRunFile::path, Scaffolder.DryRunFile::content).contains(
                org.assertj.core.groups.Tuple.tuple("service/README.md", "# orders\n"),
                org.assertj.core.groups.Tuple.tuple("service/static/deploy.sh", "echo ${UNDEFINED_IN_VELOCITY}\n"));
    }

    private static Catalog.Registration register(String name, BpmnModelInstance bpmn, String extraSpec) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("templates").resolve(name));
        Files.writeString(folder.resolve(name + ".bpmn"), Bpmn.convertToString(bpmn));
        Path file = CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: %s
                spec:
                  type: service
                  owner: group:default/platform
                  parameters:
                    - required: [name]
                      properties:
                        name:
                          type: string
                  workflow:
                    processId: %s
                    resource: %s.bpmn
                %s""".formatted(name, name, name, extraSpec));
        return portal.catalog.register(CatalogTestSupport.fileLocation(file), Location.Origin.API);
    }

    private static ObjectNode values(String name) {
        return JSON.createObjectNode().put("name", name);
    }
}
