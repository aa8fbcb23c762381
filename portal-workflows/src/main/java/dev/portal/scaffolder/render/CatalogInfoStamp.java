package dev.portal.scaffolder.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.ingest.DescriptorYaml;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.run.Provenance;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stamps a run's {@link Provenance} annotations into rendered {@code catalog-info.yaml} files: every
 * YAML document with a {@code metadata} mapping gets them in {@code metadata.annotations}, replacing
 * any the template wrote under the same names. The rest of each document is kept in its key order
 * and multi-document files stay multi-document; comments and formatting are not kept. Read and
 * written by {@link DescriptorYaml}, as the catalog reads it: {@code tier: yes} stays a string.
 */
public final class CatalogInfoStamp {

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
     * @throws InvalidInputException when the text is not YAML
     */
    public String stamp(String yaml) {
        List<ObjectNode> documents = DescriptorYaml.read("catalog-info.yaml", yaml);
        boolean stamped = false;
        for (JsonNode document : documents) {
            if (document != null && document.path("metadata") instanceof ObjectNode metadata) {
                JsonNode existing = metadata.path("annotations");
                ObjectNode target = existing instanceof ObjectNode object ? object : metadata.putObject("annotations");
                annotations.forEach(target::put);
                stamped = true;
            }
        }
        return stamped ? DescriptorYaml.write(documents) : yaml;
    }
}
