package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.portal.catalog.LocationPolicy;
import dev.portal.scaffolder.action.ElementTemplates;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.action.builtin.CatalogRegisterAction;
import dev.portal.scaffolder.action.builtin.FetchTemplateAction;
import dev.portal.scaffolder.action.builtin.GitPublishSettings;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.action.builtin.OpenApiGenerateAction;
import dev.portal.scaffolder.action.builtin.PublishGitAction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The element templates made for the built-in actions are valid Camunda 8 element templates
 * (checked against Camunda's own JSON schema, {@code @camunda/zeebe-element-templates-json-schema}
 * from the npm registry), and every field they offer is an input the action reads.
 */
class ElementTemplatesSchemaTests {

    private static JsonSchema camundaSchema;

    @BeforeAll
    static void schema() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Files.readString(
                NodeHarness.file("@camunda/zeebe-element-templates-json-schema", "resources/schema.json")));
        camundaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
    }

    static Stream<ScaffolderAction<?, ?>> builtInActions() {
        return Stream.of(new FetchTemplateAction(LocationPolicy.allowAll()),
                new PublishGitAction(GitPublishSettings.of("file:///srv/git/{name}.git")),
                new CatalogRegisterAction(null, url -> false),
                new OpenApiGenerateAction(ref -> Optional.empty()),
                new LogAction());
    }

    @ParameterizedTest
    @MethodSource("builtInActions")
    void isAValidCamundaElementTemplate(ScaffolderAction<?, ?> action) {
        ObjectNode template = ElementTemplates.of(action, 1);

        Set<ValidationMessage> problems = camundaSchema.validate(template);

        assertThat(problems).as("%s against Camunda's element template schema", template).isEmpty();
    }

    /** The check is only worth something if the schema refuses a template Camunda Modeler would refuse. */
    @org.junit.jupiter.api.Test
    void theSchemaRefusesABrokenTemplate() {
        ObjectNode broken = ElementTemplates.of(new LogAction(), 1);
        broken.remove("name");
        ((ObjectNode) broken.path("properties").get(1)).put("type", "Slider");

        assertThat(camundaSchema.validate(broken)).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("builtInActions")
    void offersExactlyTheInputsTheActionReadsUnderItsJobType(ScaffolderAction<?, ?> action) {
        ObjectNode template = ElementTemplates.of(action, 1);
        List<String> inputs = new ArrayList<>();
        String jobType = null;
        for (JsonNode property : template.path("properties")) {
            JsonNode binding = property.path("binding");
            if ("zeebe:input".equals(binding.path("type").asText())) {
                inputs.add(binding.path("name").asText());
            } else if ("zeebe:taskDefinition".equals(binding.path("type").asText())) {
                jobType = property.path("value").asText();
            }
        }
        List<String> read = new ArrayList<>();
        action.inputSchema().path("properties").fieldNames().forEachRemaining(read::add);

        assertThat(jobType).isEqualTo(action.id());
        assertThat(inputs).containsExactlyInAnyOrderElementsOf(read);
    }
}
