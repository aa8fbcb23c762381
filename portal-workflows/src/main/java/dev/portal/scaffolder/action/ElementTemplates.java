package dev.portal.scaffolder.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Camunda Modeler element templates (Camunda 8) made from actions' input schemas, so that every
 * action, a host's own included, appears in the Modeler as a typed service task: the job type is
 * fixed, and each input property becomes a field bound to a {@code zeebe:input} mapping of the same
 * name, which is exactly what the job-worker adapter reads.
 */
public final class ElementTemplates {

    /** The JSON schema Camunda Modeler validates Camunda 8 element templates against. */
    public static final String SCHEMA = "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * The task header naming the BPMN error a step throws when it fails for good, instead of raising
     * an incident (see {@code ZeebeActionWorkers}).
     */
    public static final String FAILURE_ERROR_HEADER = "portal.failureError";

    private ElementTemplates() {
    }

    /** The element template of {@code action}, in template version {@code version}. */
    public static ObjectNode of(ScaffolderAction<?, ?> action, int version) {
        ObjectNode template = JSON.objectNode();
        template.put("$schema", SCHEMA);
        template.put("name", "Portal: " + action.id());
        template.put("id", "dev.portal.action." + action.id());
        template.put("version", version);
        template.put("description", action.description());
        template.putArray("appliesTo").add("bpmn:Task");
        template.putObject("elementType").put("value", "bpmn:ServiceTask");
        ArrayNode groups = template.putArray("groups");
        groups.addObject().put("id", "input").put("label", "Input");
        groups.addObject().put("id", "failure").put("label", "When the step fails");
        ArrayNode properties = template.putArray("properties");
        ObjectNode type = properties.addObject();
        type.put("type", "Hidden");
        type.put("value", action.id());
        type.putObject("binding").put("type", "zeebe:taskDefinition").put("property", "type");

        JsonNode schema = action.inputSchema();
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        Iterator<Map.Entry<String, JsonNode>> inputs = schema.path("properties").fields();
        while (inputs.hasNext()) {
            Map.Entry<String, JsonNode> input = inputs.next();
            properties.add(field(input.getKey(), input.getValue(), required.contains(input.getKey())));
        }
        ObjectNode retries = properties.addObject();
        retries.put("id", "retries");
        retries.put("label", "Retries");
        retries.put("description", "How often a failing step is tried again before it fails for good.");
        retries.put("group", "failure");
        retries.put("type", "String");
        retries.put("value", "3");
        retries.putObject("binding").put("type", "zeebe:taskDefinition").put("property", "retries");
        ObjectNode failureError = properties.addObject();
        failureError.put("id", "failureError");
        failureError.put("label", "Then throw BPMN error");
        failureError.put("description", "An error code (e.g. portal.step-failed) to throw when the step fails for good,"
                + " so that an error boundary event can compensate; empty: the step raises an incident instead.");
        failureError.put("group", "failure");
        failureError.put("type", "String");
        failureError.put("optional", true);
        failureError.putObject("binding").put("type", "zeebe:taskHeader").put("key", FAILURE_ERROR_HEADER);
        return template;
    }

    private static ObjectNode field(String name, JsonNode schema, boolean required) {
        ObjectNode field = JSON.objectNode();
        field.put("id", name);
        field.put("label", schema.path("title").asText(name));
        if (schema.hasNonNull("description")) {
            field.put("description", schema.get("description").asText());
        }
        field.put("group", "input");
        String type = schema.path("type").asText("string");
        if (schema.has("enum")) {
            field.put("type", "Dropdown");
            ArrayNode choices = field.putArray("choices");
            schema.get("enum").forEach(value -> choices.addObject().put("name", value.asText()).put("value", value.asText()));
            if (schema.has("default")) {
                field.put("value", schema.get("default").asText());
            }
        } else if ("boolean".equals(type)) {
            field.put("type", "Boolean");
            field.put("value", schema.path("default").asBoolean(false));
        } else {
            field.put("type", "String");
            // lists, objects and numbers are written as FEEL expressions (=["a", "b"], ={k: "v"}, =3)
            field.put("feel", "string".equals(type) ? "optional" : "required");
            if (schema.has("default") && schema.get("default").isTextual()) {
                field.put("value", schema.get("default").asText());
            }
        }
        field.putObject("binding").put("type", "zeebe:input").put("name", name);
        if (required) {
            field.putObject("constraints").put("notEmpty", true);
        } else if (!"Boolean".equals(field.path("type").asText()) && !"Dropdown".equals(field.path("type").asText())) {
            // an empty optional field adds no input mapping, so the action sees no value at all
            field.put("optional", true);
        }
        return field;
    }
}
