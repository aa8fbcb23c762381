package dev.portal.scaffolder.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.template.TemplateDefinition;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which parameter values a template marks secret, and sealing them: a property whose schema says
 * {@code ui:field: Secret}, {@code ui:widget: password} or {@code format: password}, at any depth of
 * any parameter page (nested {@code properties}, array {@code items}, and the branches of
 * {@code dependencies}, {@code allOf}, {@code anyOf}, {@code oneOf}, {@code if/then/else}).
 */
public final class SecretParameters {

    private static final List<String> BRANCHES = List.of("allOf", "anyOf", "oneOf");

    private SecretParameters() {
    }

    /** Whether a property's schema marks its value secret. */
    public static boolean isSecret(JsonNode schema) {
        return "Secret".equals(schema.path("ui:field").asText())
                || "password".equals(schema.path("ui:widget").asText())
                || "password".equals(schema.path("format").asText());
    }

    /** A copy of {@code values} with each secret value sealed by {@code box} for run {@code runId}. */
    public static ObjectNode seal(TemplateDefinition template, ObjectNode values, SecretBox box, UUID runId) {
        ObjectNode sealed = values.deepCopy();
        template.parameters().forEach(page -> walk(page, sealed, box, runId, 0));
        return sealed;
    }

    private static void walk(JsonNode schema, JsonNode value, SecretBox box, UUID runId, int depth) {
        if (depth > 64 || schema == null || !schema.isObject() || value == null) {
            return;
        }
        if (value instanceof ObjectNode object && schema.path("properties").isObject()) {
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                JsonNode child = object.get(property.getKey());
                if (child == null || child.isNull() || SecretBox.isSealed(child)) {
                    continue;
                }
                if (isSecret(property.getValue())) {
                    object.set(property.getKey(), box.seal(child, runId));
                } else {
                    walk(property.getValue(), child, box, runId, depth + 1);
                }
            }
        }
        if (value instanceof ArrayNode array && schema.has("items")) {
            JsonNode items = schema.get("items");
            for (int i = 0; i < array.size(); i++) {
                JsonNode itemSchema = items.isArray() ? items.get(i) : items;
                if (itemSchema != null && isSecret(itemSchema) && !array.get(i).isNull()) {
                    array.set(i, box.seal(array.get(i), runId));
                } else {
                    walk(itemSchema, array.get(i), box, runId, depth + 1);
                }
            }
        }
        for (String branch : BRANCHES) {
            schema.path(branch).forEach(sub -> walk(sub, value, box, runId, depth + 1));
        }
        walk(schema.get("then"), value, box, runId, depth + 1);
        walk(schema.get("else"), value, box, runId, depth + 1);
        schema.path("dependencies").forEach(sub -> walk(sub, value, box, runId, depth + 1));
    }
}
