package dev.portal.scaffolder.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.error.InvalidInputException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-document YAML ({@code catalog-info.yaml}) read into trees and written back: key order and
 * the documents stay as they were, comments and formatting do not.
 */
public final class YamlDocuments {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private YamlDocuments() {
    }

    /**
     * Every document of {@code yaml}, in order.
     *
     * @throws InvalidInputException when the text is not YAML, with the parser's first line
     */
    public static List<JsonNode> read(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNextValue()) {
                documents.add(iterator.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInputException("not valid YAML: " + message, e);
        }
        return documents;
    }

    /** The documents as YAML, separated by {@code ---}; empty documents are left out. */
    public static String write(List<JsonNode> documents) {
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
        return out.toString();
    }
}
