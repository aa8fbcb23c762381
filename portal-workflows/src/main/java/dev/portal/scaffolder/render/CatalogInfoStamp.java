package dev.portal.scaffolder.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.scaffolder.run.Provenance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stamps a run's {@link Provenance} annotations into rendered {@code catalog-info.yaml} files: every
 * YAML document with a {@code metadata} mapping gets them in {@code metadata.annotations}, replacing
 * any the template wrote under the same names. The rest of each document is kept in its key order
 * and multi-document files stay multi-document; comments and formatting are not kept.
 */
public final class CatalogInfoStamp {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build());

    private final Map<String, String> annotations;

    /** @param annotations the annotations to stamp, in the order they are written */
    public CatalogInfoStamp(Map<String, String> annotations) {
        this.annotations = new LinkedHashMap<>(annotations);
    }

    /** The provenance of a run: its id, its template's ref and the template's version. */
    public static CatalogInfoStamp of(RunData run) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Provenance.RUN_ID, run.id());
        annotations.put(Provenance.TEMPLATE, run.templateRef());
        annotations.put(Provenance.TEMPLATE_VERSION, run.templateVersion());
        return new CatalogInfoStamp(annotations);
    }

    /** Whether a file is a catalog descriptor this stamp applies to, by its name. */
    public static boolean appliesTo(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.equals("catalog-info.yaml") || name.equals("catalog-info.yml");
    }

    /**
     * The descriptor with the annotations stamped in, or the same text when no document has a
     * {@code metadata} mapping.
     *
     * @throws IllegalArgumentException when the text is not YAML
     */
    public String stamp(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> iterator = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (iterator.hasNextValue()) {
                documents.add(iterator.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not valid YAML: " + firstLine(e.getMessage()), e);
        }
        boolean stamped = false;
        for (JsonNode document : documents) {
            if (document != null && document.path("metadata") instanceof ObjectNode metadata) {
                JsonNode existing = metadata.path("annotations");
                ObjectNode target = existing instanceof ObjectNode object ? object : metadata.putObject("annotations");
                annotations.forEach(target::put);
                stamped = true;
            }
        }
        if (!stamped) {
            return yaml;
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
        return out.toString();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
