package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.ingest.DescriptorYaml;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionInputException;

import java.util.List;
import java.util.Map;

/**
 * Sets {@code spec.lifecycle} and adds annotations in the documents of a {@code catalog-info.yaml}
 * that describe one entity (or all of them). Key order and the other documents are kept; when
 * anything changes the file is written anew, without its comments.
 */
final class DescriptorEdit {

    private DescriptorEdit() {
    }

    /**
     * @param text      the file as it is
     * @param documents how many documents matched (0: nothing to edit)
     */
    record Result(String text, int documents) {
    }

    /** @param entity the entity whose document is edited; {@code null} for every entity in the file */
    static Result apply(String yaml, EntityRef entity, String lifecycle, Map<String, String> annotations) {
        List<ObjectNode> documents;
        try {
            documents = DescriptorYaml.read("catalog-info.yaml", yaml);
        } catch (InvalidInputException e) {
            throw new ActionInputException("the descriptor is " + e.getMessage(), e);
        }
        int matched = 0;
        boolean changed = false;
        for (JsonNode document : documents) {
            if (!(document instanceof ObjectNode object) || !(object.path("metadata") instanceof ObjectNode metadata)
                    || !matches(object, entity)) {
                continue;
            }
            matched++;
            JsonNode before = object.deepCopy();
            if (lifecycle != null) {
                ObjectNode spec = object.path("spec") instanceof ObjectNode existing ? existing : object.putObject("spec");
                spec.put("lifecycle", lifecycle);
            }
            if (!annotations.isEmpty()) {
                ObjectNode target = metadata.path("annotations") instanceof ObjectNode existing ? existing
                        : metadata.putObject("annotations");
                annotations.forEach(target::put);
            }
            changed |= !before.equals(object);
        }
        if (!changed) {
            return new Result(yaml, matched);
        }
        return new Result(DescriptorYaml.write(documents), matched);
    }

    private static boolean matches(ObjectNode document, EntityRef entity) {
        if (entity == null) {
            return document.hasNonNull("kind");
        }
        String namespace = document.path("metadata").path("namespace").asText(EntityRef.DEFAULT_NAMESPACE);
        return entity.kind().equalsIgnoreCase(document.path("kind").asText())
                && entity.namespace().equalsIgnoreCase(namespace)
                && entity.name().equalsIgnoreCase(document.path("metadata").path("name").asText());
    }
}
