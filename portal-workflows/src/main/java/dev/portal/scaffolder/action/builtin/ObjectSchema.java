package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Consumer;

/**
 * The JSON Schema (draft 2020-12) of an action's input or output object, written property by
 * property. Every property carries a description: the Modeler element templates show it.
 */
final class ObjectSchema {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode schema = JSON.objectNode();
    private final ObjectNode properties;

    private ObjectSchema(String description) {
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        schema.put("description", description);
        properties = schema.putObject("properties");
    }

    static ObjectSchema describedAs(String description) {
        return new ObjectSchema(description);
    }

    /** A string property; {@code detail} may add keywords such as {@code pattern} or {@code default}. */
    ObjectSchema string(String name, String description, Consumer<ObjectNode> detail) {
        ObjectNode property = property(name, description).put("type", "string");
        detail.accept(property);
        return this;
    }

    ObjectSchema string(String name, String description) {
        return string(name, description, property -> {
        });
    }

    ObjectSchema integer(String name, String description) {
        property(name, description).put("type", "integer");
        return this;
    }

    /** A property whose schema {@code detail} writes in full. */
    ObjectSchema other(String name, String description, Consumer<ObjectNode> detail) {
        detail.accept(property(name, description));
        return this;
    }

    ObjectSchema required(String... names) {
        var required = schema.putArray("required");
        for (String name : names) {
            required.add(name);
        }
        return this;
    }

    ObjectNode build() {
        return schema.deepCopy();
    }

    private ObjectNode property(String name, String description) {
        ObjectNode property = properties.putObject(name);
        property.put("description", description);
        return property;
    }
}
