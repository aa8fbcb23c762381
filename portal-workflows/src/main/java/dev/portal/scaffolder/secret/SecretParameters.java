package dev.portal.scaffolder.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.template.TemplateDefinition;

import dev.portal.scaffolder.template.TemplateException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which parameter values a template marks secret, and sealing them: a property whose schema says
 * {@code ui:field: Secret}, {@code ui:widget: password} or {@code format: password}, at any depth of
 * any parameter page. Values are matched to schemas as JSON Schema applies them: {@code properties},
 * {@code patternProperties} and {@code additionalProperties}; {@code prefixItems}, {@code items} and
 * {@code additionalItems}; the branches of {@code allOf}, {@code anyOf}, {@code oneOf},
 * {@code then/else}, {@code dependencies} and {@code dependentSchemas}; and local {@code $ref}s
 * ({@code #/...}, resolved in the page). A secret marker anywhere else (under {@code contains},
 * {@code not}, {@code unevaluatedProperties}, a remote {@code $ref}, ...) is refused by
 * {@link #requireSealable}: a value Portal could not find would be stored in clear.
 */
public final class SecretParameters {

    private static final List<String> BRANCHES = List.of("allOf", "anyOf", "oneOf");
    private static final List<String> SCHEMA_MAPS = List.of("dependencies", "dependentSchemas");
    private static final int MAX_DEPTH = 64;

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
        template.parameters().forEach(page -> walk(page, page, sealed, box, runId, 0));
        return sealed;
    }

    /**
     * Refuses a template that marks a value secret where {@link #seal} cannot find it, naming where.
     *
     * @throws TemplateException naming the page and the JSON pointer of the unreachable marker
     */
    public static void requireSealable(TemplateDefinition template) {
        for (int page = 0; page < template.parameters().size(); page++) {
            JsonNode root = template.parameters().get(page);
            Set<JsonNode> reached = Collections.newSetFromMap(new IdentityHashMap<>());
            reach(root, root, reached, 0);
            Optional<String> unreachable = markerOutside(root, "", reached, 0);
            if (unreachable.isPresent()) {
                throw new TemplateException(template.ref() + ": parameter page " + (page + 1) + " marks a value secret at '"
                        + unreachable.get() + "', where Portal cannot find the value to seal it; declare it under "
                        + "properties, patternProperties, additionalProperties, items, prefixItems, allOf, anyOf, oneOf, "
                        + "then, else, dependentSchemas or a local $ref");
            }
        }
    }

    private static void walk(JsonNode root, JsonNode schema, JsonNode value, SecretBox box, UUID runId, int depth) {
        schema = resolved(root, schema);
        if (depth > MAX_DEPTH || schema == null || !schema.isObject() || value == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.properties().forEach(property -> names.add(property.getKey()));
            for (String name : names) {
                for (JsonNode propertySchema : propertySchemas(schema, name)) {
                    apply(root, propertySchema, object.get(name), sealed -> object.set(name, sealed), box, runId, depth);
                }
            }
        }
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                JsonNode itemSchema = itemSchema(schema, i);
                if (itemSchema != null) {
                    apply(root, itemSchema, array.get(i), sealed -> array.set(index, sealed), box, runId, depth);
                }
            }
        }
        for (JsonNode branch : branches(schema)) {
            walk(root, branch, value, box, runId, depth + 1);
        }
    }

    /** Seals {@code value} if {@code schema} marks it secret, or looks inside it. */
    private static void apply(JsonNode root, JsonNode schema, JsonNode value, Consumer<JsonNode> replace,
                              SecretBox box, UUID runId, int depth) {
        if (value == null || value.isNull() || schema == null) {
            return;
        }
        // the marker may sit beside a $ref or on what it points at
        if (isSecret(schema) || isSecret(resolved(root, schema))) {
            if (!SecretBox.isWhollySealed(value)) {
                replace.accept(box.seal(value, runId));
            }
        } else {
            walk(root, schema, value, box, runId, depth + 1);
        }
    }

    /** The schemas that apply to property {@code name} of an object {@code schema} describes. */
    private static List<JsonNode> propertySchemas(JsonNode schema, String name) {
        List<JsonNode> schemas = new ArrayList<>();
        if (schema.path("properties").has(name)) {
            schemas.add(schema.path("properties").get(name));
        }
        for (Map.Entry<String, JsonNode> pattern : schema.path("patternProperties").properties()) {
            if (matches(pattern.getKey(), name)) {
                schemas.add(pattern.getValue());
            }
        }
        if (schemas.isEmpty() && schema.path("additionalProperties").isObject()) {
            schemas.add(schema.get("additionalProperties"));
        }
        return schemas;
    }

    /** The schema of item {@code index} of an array {@code schema} describes (2020-12 and draft 7 forms). */
    private static JsonNode itemSchema(JsonNode schema, int index) {
        JsonNode tuple = schema.path("prefixItems").isArray() ? schema.get("prefixItems")
                : schema.path("items").isArray() ? schema.get("items") : null;
        if (tuple != null && index < tuple.size()) {
            return tuple.get(index);
        }
        JsonNode rest = tuple == null ? schema.get("items")
                : schema.path("prefixItems").isArray() ? schema.get("items") : schema.get("additionalItems");
        return rest != null && rest.isObject() ? rest : null;
    }

    /** Sub-schemas that apply to the same value as {@code schema}. */
    private static List<JsonNode> branches(JsonNode schema) {
        List<JsonNode> branches = new ArrayList<>();
        BRANCHES.forEach(branch -> schema.path(branch).forEach(branches::add));
        for (String conditional : List.of("then", "else")) {
            if (schema.has(conditional)) {
                branches.add(schema.get(conditional));
            }
        }
        SCHEMA_MAPS.forEach(map -> schema.path(map).forEach(sub -> {
            if (sub.isObject()) {
                branches.add(sub);
            }
        }));
        return branches;
    }

    /** Every schema {@link #walk} can apply to some value, from {@code schema} down. */
    private static void reach(JsonNode root, JsonNode schema, Set<JsonNode> reached, int depth) {
        schema = resolved(root, schema);
        if (depth > MAX_DEPTH || schema == null || !schema.isObject() || !reached.add(schema)) {
            return;
        }
        List<JsonNode> next = new ArrayList<>(branches(schema));
        schema.path("properties").forEach(next::add);
        schema.path("patternProperties").forEach(next::add);
        for (String single : List.of("additionalProperties", "items", "additionalItems")) {
            JsonNode sub = schema.get(single);
            if (sub != null && sub.isObject()) {
                next.add(sub);
            }
        }
        if (schema.path("items").isArray()) {
            schema.get("items").forEach(next::add);
        }
        schema.path("prefixItems").forEach(next::add);
        for (JsonNode sub : next) {
            JsonNode target = resolved(root, sub);
            if (target != null && target != sub && target.isObject()) {
                reached.add(sub);
            }
            reach(root, sub, reached, depth + 1);
        }
    }

    /** The JSON pointer of a secret marker in {@code node} that is not one of the {@code reached} schemas. */
    private static Optional<String> markerOutside(JsonNode node, String pointer, Set<JsonNode> reached, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.empty();
        }
        if (node.isObject() && !pointer.isEmpty() && isSecret(node) && !reached.contains(node)) {
            return Optional.of(pointer);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Optional<String> found = markerOutside(field.getValue(),
                        pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), reached, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = markerOutside(node.get(i), pointer + "/" + i, reached, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code schema}, or what its local {@code $ref} ({@code #/...}) points at, followed up to a few times. */
    private static JsonNode resolved(JsonNode root, JsonNode schema) {
        for (int hops = 0; hops < 8 && schema != null && schema.path("$ref").isTextual(); hops++) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#")) {
                return schema;
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                return schema;
            }
            schema = target;
        }
        return schema;
    }

    private static boolean matches(String regex, String name) {
        try {
            return Pattern.compile(regex).matcher(name).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
