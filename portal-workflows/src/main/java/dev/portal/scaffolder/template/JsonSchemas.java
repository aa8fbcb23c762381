package dev.portal.scaffolder.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON Schema validation (draft 2020-12, networknt) of values against schemas that other people
 * wrote. Such schemas may only refer to themselves ({@code #/...}): a {@code $ref} to a URL or a
 * file would make the server fetch it, so it is refused before the schema is compiled.
 */
public final class JsonSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(com.networknt.schema.PathType.JSON_POINTER)
            .build();

    private JsonSchemas() {
    }

    /**
     * Compiles {@code schema}; {@code where} names it in errors (e.g. {@code template:default/x
     * spec.parameters[0]}). Backstage's {@code ui:*} keys are form hints, not validation, and are dropped.
     */
    public static JsonSchema compile(JsonNode schema, String where) {
        if (!schema.isObject()) {
            throw new TemplateException(where + " must be a JSON schema object");
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        strip(copy, where, "");
        try {
            return FACTORY.getSchema(copy, CONFIG);
        } catch (RuntimeException e) {
            throw new TemplateException(where + " is not a valid JSON schema: " + e.getMessage(), e);
        }
    }

    /** The problems of {@code value} against {@code schema}, each "field: problem", sorted by field. */
    public static List<String> problems(JsonSchema schema, JsonNode value, String prefix) {
        List<String> problems = new ArrayList<>();
        schema.validate(value).stream()
                .sorted(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                        .thenComparing(ValidationMessage::getMessage))
                .forEach(message -> problems.add(describe(message, prefix)));
        return problems;
    }

    private static String describe(ValidationMessage message, String prefix) {
        String pointer = message.getInstanceLocation().toString();
        String field = pointer.isEmpty() || pointer.equals("/") ? prefix
                : prefix + pointer.replace('/', '.');
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            field = field + "." + message.getProperty();
            return field + ": is required";
        }
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        String problem = colon >= 0 && text.startsWith(pointer) ? text.substring(colon + 2) : text;
        return field + ": " + problem;
    }

    private static void strip(JsonNode node, String where, String path) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().startsWith("ui:")) {
                    fields.remove();
                    continue;
                }
                if (field.getKey().equals("$ref") && !field.getValue().asText().startsWith("#")) {
                    throw new TemplateException(where + path + ".$ref: only references within the schema (#/...) are allowed, not '"
                            + field.getValue().asText() + "'");
                }
                if (field.getKey().equals("$id") || field.getKey().equals("$schema")) {
                    // an $id or $schema pointing elsewhere would also make the validator fetch
                    fields.remove();
                    continue;
                }
                strip(field.getValue(), where, path + "." + field.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                strip(node.get(i), where, path + "[" + i + "]");
            }
        }
    }
}
