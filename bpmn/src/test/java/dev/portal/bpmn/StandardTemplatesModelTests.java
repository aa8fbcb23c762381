package dev.portal.bpmn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.catalog.testing.NodeHarness;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Association;
import io.camunda.zeebe.model.bpmn.instance.BaseElement;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnEdge;
import io.camunda.zeebe.model.bpmn.instance.bpmndi.BpmnShape;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeFormDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a process owner gets when opening a standard template in Camunda Modeler: valid BPMN with a
 * diagram element for every node, flow and association; forms linked by ids that exist; job types
 * the built-in actions handle; and a Template entity that names the process and file.
 */
class StandardTemplatesModelTests {

    private static final Path ROOT = Path.of("src/main/resources/dev/portal/bpmn");
    private static final NodeHarness NODE = new NodeHarness("src/test/node", List.of("bpmnlint", "bpmnlint-plugin-camunda-compat",
            "bpmn-moddle", "zeebe-bpmn-moddle", "@camunda/zeebe-element-templates-json-schema"));

    private static BpmnModelInstance model(String template) {
        return Bpmn.readModelFromFile(ROOT.resolve("processes/" + template + ".bpmn").toFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"create-service", "register-existing", "decommission-component"})
    void everyElementHasItsPlaceInTheDiagram(String template) {
        BpmnModelInstance model = model(template);
        Bpmn.validateModel(model);

        Set<String> shapes = model.getModelElementsByType(BpmnShape.class).stream()
                .map(shape -> shape.getBpmnElement().getId()).collect(Collectors.toSet());
        Set<String> edges = model.getModelElementsByType(BpmnEdge.class).stream()
                .map(edge -> edge.getBpmnElement().getId()).collect(Collectors.toSet());
        assertThat(ids(model.getModelElementsByType(FlowNode.class))).isNotEmpty().isSubsetOf(shapes);
        assertThat(ids(model.getModelElementsByType(SequenceFlow.class))).isNotEmpty().isSubsetOf(edges);
        assertThat(ids(model.getModelElementsByType(Association.class))).isSubsetOf(edges);
        model.getModelElementsByType(BpmnEdge.class).forEach(edge ->
                assertThat(edge.getWaypoints()).as("waypoints of %s", edge.getId()).hasSizeGreaterThanOrEqualTo(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"create-service", "register-existing", "decommission-component"})
    void usesOnlyBuiltInActionsAndFormsThatShipWithIt(String template) throws Exception {
        byte[] bpmn = Files.readAllBytes(ROOT.resolve("processes/" + template + ".bpmn"));

        // the deployer's own check: every job type has an action (it throws naming element and type)
        new ProcessDeployer(null, new ActionRegistry(StandardActions.all()), Set.of()).prepare(template + ".bpmn", bpmn);

        Set<String> forms = new HashSet<>();
        try (var files = Files.list(ROOT.resolve("forms"))) {
            for (Path form : files.toList()) {
                forms.add(new ObjectMapper().readTree(form.toFile()).path("id").asText());
            }
        }
        Collection<UserTask> userTasks = model(template).getModelElementsByType(UserTask.class);
        assertThat(userTasks).isNotEmpty();
        for (UserTask task : userTasks) {
            ZeebeFormDefinition form = task.getSingleExtensionElement(ZeebeFormDefinition.class);
            assertThat(form).as("form of %s", task.getId()).isNotNull();
            assertThat(forms).as("form of %s", task.getId()).contains(form.getFormId());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"create-service", "register-existing", "decommission-component"})
    void theTemplateEntityNamesTheProcessAndItsFile(String template) throws Exception {
        JsonNode entity = new YAMLMapper().readTree(ROOT.resolve("templates/" + template + "/template.yaml").toFile());
        List<String> processes = new ArrayList<>();
        model(template).getModelElementsByType(Process.class).forEach(process -> processes.add(process.getId()));

        assertThat(entity.path("kind").asText()).isEqualTo("Template");
        assertThat(processes).containsExactly(entity.path("spec").path("workflow").path("processId").asText());
        assertThat(entity.path("spec").path("workflow").path("resource").asText())
                .isEqualTo("classpath:dev/portal/bpmn/processes/" + template + ".bpmn");
    }

    /**
     * The problems panel of Camunda Modeler for Camunda 8.8 stays empty (bpmnlint with
     * camunda-compat, the rules Modeler runs), except for one rule switched off on purpose:
     * {@code zeebe-user-task} asks for Camunda user tasks, while the portal's approvals are
     * job-worker user tasks (its inbox completes them; see DESIGN).
     */
    @Test
    void passesTheLintingCamundaModelerApplies() throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "lint.mjs"));
        for (String template : List.of("create-service", "register-existing", "decommission-component")) {
            command.add(ROOT.resolve("processes/" + template + ".bpmn").toAbsolutePath().toString());
        }
        NODE.install();

        assertThat(NODE.run(command, Map.of("PORTAL_LINT_OFF", "camunda-compat/zeebe-user-task"), 60))
                .as("node lint.mjs (its report is in the test log)").isZero();
    }

    /** The linting is only worth something if it finds what Modeler would flag. */
    @Test
    void theLintingFlagsAServiceTaskWithoutJobType(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.bpmn");
        Files.writeString(broken, Bpmn.convertToString(Bpmn.createExecutableProcess("broken")
                .startEvent().serviceTask("work").endEvent().done()));
        NODE.install();

        assertThat(NODE.run(List.of("node", "lint.mjs", broken.toString()), Map.of(), 60)).isEqualTo(1);
    }

    private static Set<String> ids(Collection<? extends BaseElement> elements) {
        return elements.stream().map(BaseElement::getId).collect(Collectors.toSet());
    }
}
