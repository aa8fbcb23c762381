package dev.portal.scaffolder.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates the values a user submits for a template against its parameter pages, before any
 * process instance starts. Missing values that a page gives a {@code default} for are filled in
 * (Backstage's form does the same on the client side).
 */
public final class ParameterValidator {

    private ParameterValidator() {
    }

    /**
     * The values with defaults applied.
     *
     * @throws InvalidParametersException naming every offending field
     */
    public static ObjectNode validate(TemplateDefinition template, JsonNode values) {
        if (values == null || values.isNull() || values.isMissingNode()) {
            values = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!values.isObject()) {
            throw new InvalidParametersException(template.ref().canonical(), List.of("values: must be an object"));
        }
        ObjectNode withDefaults = ((ObjectNode) values).deepCopy();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < template.parameters().size(); i++) {
            JsonNode page = template.parameters().get(i);
            applyDefaults(page, withDefaults);
            JsonSchema schema = JsonSchemas.compile(page, template.ref().canonical() + " spec.parameters[" + i + "]");
            problems.addAll(JsonSchemas.problems(schema, withDefaults, "values"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(template.ref().canonical(), problems.stream().distinct().toList());
        }
        return withDefaults;
    }

    private static void applyDefaults(JsonNode page, ObjectNode values) {
        Iterator<Map.Entry<String, JsonNode>> properties = page.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            if (!values.has(property.getKey()) && property.getValue().has("default")) {
                values.set(property.getKey(), property.getValue().get("default").deepCopy());
            }
        }
    }
}
