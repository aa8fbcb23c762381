package dev.portal.bpmn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.portal.catalog.testing.NodeHarness;
import dev.portal.scaffolder.action.ElementTemplates;
import dev.portal.scaffolder.action.ScaffolderAction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Camunda Modeler element templates shipped in {@code dev/portal/bpmn/element-templates} are
 * valid Camunda 8 element templates (checked against Camunda's own JSON schema,
 * {@code @camunda/zeebe-element-templates-json-schema} from the npm registry), every field they offer
 * is an input the action's worker reads, and they are what {@link ElementTemplates} makes from the
 * actions' input schemas today. Regenerate them after changing an action's input schema with
 * {@code ./mvnw -q -pl bpmn -am verify -Dtest=ElementTemplatesSchemaTests -Dsurefire.failIfNoSpecifiedTests=false
 * -Dportal.element-templates.write=true}.
 */
class ElementTemplatesSchemaTests {

    static final Path FOLDER = Path.of("src/main/resources/dev/portal/bpmn/element-templates");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NodeHarness NODE = new NodeHarness("src/test/node",
            List.of("@camunda/zeebe-element-templates-json-schema"));

    private static JsonSchema camundaSchema;

    @BeforeAll
    static void schema() throws Exception {
        JsonNode schema = JSON.readTree(Files.readString(
                NODE.file("@camunda/zeebe-element-templates-json-schema", "resources/schema.json")));
        camundaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        if (Boolean.getBoolean("portal.element-templates.write")) {
            Files.createDirectories(FOLDER);
            for (ScaffolderAction<?, ?> action : StandardActions.all()) {
                Files.writeString(file(action), text(ElementTemplates.of(action, 1)));
            }
        }
    }

    static Stream<ScaffolderAction<?, ?>> builtInActions() {
        return StandardActions.all().stream();
    }

    private static Path file(ScaffolderAction<?, ?> action) {
        return FOLDER.resolve(action.id() + ".json");
    }

    private static String text(ObjectNode template) throws Exception {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(template) + "\n";
    }

    private static ObjectNode shipped(ScaffolderAction<?, ?> action) throws Exception {
        assertThat(file(action)).as("element template of %s", action.id()).isRegularFile();
        return (ObjectNode) JSON.readTree(Files.readString(file(action)));
    }

    @ParameterizedTest
    @MethodSource("builtInActions")
    void theShippedTemplateIsAValidCamundaElementTemplate(ScaffolderAction<?, ?> action) throws Exception {
        ObjectNode template = shipped(action);

        Set<ValidationMessage> problems = camundaSchema.validate(template);

        assertThat(problems).as("%s against Camunda's element template schema", file(action)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("builtInActions")
    void theShippedTemplateIsWhatTheActionsInputSchemaMakesToday(ScaffolderAction<?, ?> action) throws Exception {
        assertThat(Files.readString(file(action)))
                .as("%s is out of date; regenerate it (see this class's javadoc)", file(action))
                .isEqualTo(text(ElementTemplates.of(action, 1)));
    }

    @Test
    void everyShippedTemplateBelongsToABuiltInAction() throws Exception {
        List<String> expected = StandardActions.all().stream().map(action -> action.id() + ".json").toList();
        try (Stream<Path> files = Files.list(FOLDER)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The check is only worth something if the schema refuses a template Camunda Modeler would refuse. */
    @Test
    void theSchemaRefusesABrokenTemplate() throws Exception {
        ObjectNode broken = shipped(StandardActions.all().getFirst());
        broken.remove("name");
        ((ObjectNode) broken.path("properties").get(1)).put("type", "Slider");

        assertThat(camundaSchema.validate(broken)).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("builtInActions")
    void offersExactlyTheInputsTheWorkerReadsUnderItsJobType(ScaffolderAction<?, ?> action) throws Exception {
        ObjectNode template = shipped(action);
        List<String> inputs = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        String jobType = null;
        for (JsonNode property : template.path("properties")) {
            JsonNode binding = property.path("binding");
            switch (binding.path("type").asText()) {
                case "zeebe:input" -> inputs.add(binding.path("name").asText());
                case "zeebe:taskHeader" -> headers.add(binding.path("key").asText());
                case "zeebe:taskDefinition" -> {
                    if ("type".equals(binding.path("property").asText())) {
                        jobType = property.path("value").asText();
                    }
                }
                default -> throw new AssertionError("unexpected binding " + binding + " in " + file(action));
            }
        }
        List<String> read = new ArrayList<>();
        action.inputSchema().path("properties").fieldNames().forEachRemaining(read::add);

        assertThat(jobType).isEqualTo(action.id());
        assertThat(inputs).containsExactlyInAnyOrderElementsOf(read);
        assertThat(headers).containsExactly(ElementTemplates.FAILURE_ERROR_HEADER);
        assertThat(template.path("id").asText()).isEqualTo("dev.portal.action." + action.id());
    }
}
