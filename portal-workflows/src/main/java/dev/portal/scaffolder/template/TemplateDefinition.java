package dev.portal.scaffolder.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.LocationSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A software template as the Scaffolder reads it from its catalog entity (kind {@code Template},
 * apiVersion {@code scaffolder.backstage.io/v1beta3}):
 * <pre>
 * spec:
 *   owner: group:default/platform
 *   type: service
 *   parameters: [ {JSON schema page}, ... ]      # or a single schema object
 *   workflow:
 *     processId: create-service                 # the BPMN process id
 *     resource: create-service.bpmn             # optional: next to the template, or classpath:...
 *   skeleton: ./skeleton                        # optional: a folder next to the template, or
 *                                               #   url:&lt;repo&gt;/-/blob/&lt;branch&gt;/&lt;folder&gt;
 * </pre>
 *
 * @param ref            the template's entity ref
 * @param title          {@code metadata.title}, or the name
 * @param description    {@code metadata.description}, or empty
 * @param tags           {@code metadata.tags}
 * @param owner          {@code spec.owner}, or empty
 * @param etag           the entity's etag when read, part of the version stamped on a run's output
 * @param parameters     the parameter pages, each a JSON schema object
 * @param processId      {@code spec.workflow.processId}
 * @param bpmnResource   {@code spec.workflow.resource}, if the portal should deploy the process itself
 * @param skeleton       {@code spec.skeleton}, if the template has one
 * @param sourceLocation where the template entity was read from ({@code backstage.io/managed-by-location}),
 *                       against which relative {@code resource} and {@code skeleton} paths resolve
 * @param annotations    {@code metadata.annotations} (a permission policy reads who may run it there)
 */
public record TemplateDefinition(EntityRef ref, String title, String description, List<String> tags,
                                 String owner, String etag, List<JsonNode> parameters, String processId,
                                 Optional<String> bpmnResource, Optional<String> skeleton,
                                 Optional<LocationSpec> sourceLocation, Map<String, String> annotations) {

    public TemplateDefinition {
        tags = List.copyOf(tags);
        parameters = List.copyOf(parameters);
        annotations = Map.copyOf(annotations);
    }

    /** A template without annotations. */
    public TemplateDefinition(EntityRef ref, String title, String description, List<String> tags, String owner,
                              String etag, List<JsonNode> parameters, String processId, Optional<String> bpmnResource,
                              Optional<String> skeleton, Optional<LocationSpec> sourceLocation) {
        this(ref, title, description, tags, owner, etag, parameters, processId, bpmnResource, skeleton, sourceLocation,
                Map.of());
    }

    /**
     * Reads a template entity. The catalog has validated its shape (see {@code EntityValidator});
     * this still refuses an entity that is not a template or lacks a process id.
     */
    public static TemplateDefinition of(Entity entity) {
        if (!"Template".equalsIgnoreCase(entity.kind())) {
            throw new TemplateException(entity.ref() + " is a " + entity.kind() + ", not a Template");
        }
        JsonNode metadata = entity.metadata();
        JsonNode spec = entity.spec();
        String processId = spec.path("workflow").path("processId").asText("");
        if (processId.isBlank()) {
            throw new TemplateException(entity.ref() + ": spec.workflow.processId is required: it names the BPMN process a run starts");
        }
        List<String> tags = new ArrayList<>();
        metadata.path("tags").forEach(tag -> tags.add(tag.asText()));
        List<JsonNode> pages = new ArrayList<>();
        JsonNode parameters = spec.path("parameters");
        if (parameters.isArray()) {
            parameters.forEach(pages::add);
        } else if (parameters.isObject()) {
            pages.add(parameters);
        }
        return new TemplateDefinition(entity.ref(),
                text(metadata, "title").orElse(entity.name()),
                text(metadata, "description").orElse(""),
                tags,
                text(spec, "owner").orElse(""),
                entity.etag().orElse(""),
                pages,
                processId,
                text(spec.path("workflow"), "resource"),
                text(spec, "skeleton"),
                entity.annotation(Entity.MANAGED_BY_LOCATION).flatMap(TemplateDefinition::location),
                annotations(metadata.path("annotations")));
    }

    /** The parameter pages as one JSON array (Backstage's parameter-schema {@code steps} shape uses them). */
    public ArrayNode parametersArray() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        parameters.forEach(page -> array.add(page.deepCopy()));
        return array;
    }

    private static Map<String, String> annotations(JsonNode annotations) {
        Map<String, String> map = new LinkedHashMap<>();
        annotations.properties().forEach(field -> {
            if (field.getValue().isTextual()) {
                map.put(field.getKey(), field.getValue().asText());
            }
        });
        return map;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static Optional<LocationSpec> location(String annotation) {
        int colon = annotation.indexOf(':');
        if (colon <= 0 || colon == annotation.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new LocationSpec(annotation.substring(0, colon), annotation.substring(colon + 1)));
    }
}
