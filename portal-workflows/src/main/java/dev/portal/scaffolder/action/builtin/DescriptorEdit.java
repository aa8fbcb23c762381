package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.ActionInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sets {@code spec.lifecycle} and adds annotations in the documents of a {@code catalog-info.yaml}
 * that describe one entity (or all of them). Key order and the other documents are kept; when
 * anything changes the file is written anew, without its comments.
 */
final class DescriptorEdit {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

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
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNextValue()) {
                documents.add(iterator.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new ActionInputException("the descriptor is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
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
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            if (document == null || document.isMissingNode()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            try {
                out.append(YAML.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write back a document just read: " + e.getMessage(), e);
            }
        }
        return new Result(out.toString(), matched);
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
