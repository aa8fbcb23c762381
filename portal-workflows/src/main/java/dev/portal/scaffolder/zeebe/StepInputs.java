package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.template.TemplateException;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeHeader;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeInput;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeIoMapping;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskHeaders;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The input a process gives a step of one action, read from its BPMN without running it: for a dry
 * run, which executes the fetch step outside the engine and must see what the real run's job would
 * carry (headers, then input mappings, as {@link ZeebeActionWorkers} reads them).
 *
 * <p>There is no FEEL engine here: a static value, a JSON-shaped literal ({@code =["*.png"]},
 * {@code ="docs"}, {@code =true}) and a variable path ({@code =values.name}) are understood; any
 * other expression is left out and named in {@code warnings}.
 */
public final class StepInputs {

    /** The input of one step and the element it belongs to. */
    public record Step(String elementId, ObjectNode input) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private StepInputs() {
    }

    /**
     * The steps of {@code bpmn} with job type {@code jobType}, in document order, each with the
     * input properties of {@code inputSchema} that the step sets.
     *
     * @param variables what variable paths resolve against (the run's start variables)
     */
    public static List<Step> of(String resourceName, byte[] bpmn, String jobType, ObjectNode inputSchema,
                                ObjectNode variables, List<String> warnings) {
        BpmnModelInstance model;
        try {
            model = Bpmn.readModelFromStream(new ByteArrayInputStream(bpmn));
        } catch (RuntimeException e) {
            throw new TemplateException(resourceName + " is not a readable BPMN file: " + e.getMessage(), e);
        }
        JsonNode properties = inputSchema.path("properties");
        List<Step> steps = new ArrayList<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            ZeebeTaskDefinition definition = task.getSingleExtensionElement(ZeebeTaskDefinition.class);
            if (definition == null || !jobType.equals(definition.getType())) {
                continue;
            }
            ObjectNode input = JSON.createObjectNode();
            ZeebeTaskHeaders headers = task.getSingleExtensionElement(ZeebeTaskHeaders.class);
            if (headers != null) {
                for (ZeebeHeader header : headers.getHeaders()) {
                    JsonNode property = properties.get(header.getKey());
                    if (property != null && header.getValue() != null) {
                        input.set(header.getKey(), headerValue(header.getValue(), property));
                    }
                }
            }
            ZeebeIoMapping mapping = task.getSingleExtensionElement(ZeebeIoMapping.class);
            if (mapping != null) {
                for (ZeebeInput mapped : mapping.getInputs()) {
                    if (!properties.has(mapped.getTarget()) || mapped.getSource() == null) {
                        continue;
                    }
                    JsonNode value = evaluate(mapped.getSource(), variables);
                    if (value == null) {
                        warnings.add("step " + task.getId() + ": input " + mapped.getTarget() + " (" + mapped.getSource()
                                + ") is an expression the preview does not evaluate; it is left out");
                    } else if (!value.isNull() && !value.isMissingNode()) {
                        input.set(mapped.getTarget(), value);
                    }
                }
            }
            steps.add(new Step(task.getId(), input));
        }
        return steps;
    }

    /** A value, a null node for a path that names nothing, or {@code null} for what cannot be evaluated. */
    private static JsonNode evaluate(String source, ObjectNode variables) {
        if (!source.startsWith("=")) {
            return JSON.getNodeFactory().textNode(source);
        }
        String expression = source.substring(1).strip();
        if (PATH.matcher(expression).matches() && !List.of("true", "false", "null").contains(expression)) {
            JsonNode node = variables;
            for (String part : expression.split("\\.")) {
                node = node.path(part);
            }
            return node;
        }
        try {
            return JSON.readTree(expression);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonNode headerValue(String value, JsonNode property) {
        if ("string".equals(property.path("type").asText())) {
            return JSON.getNodeFactory().textNode(value);
        }
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(value);
        }
    }
}
