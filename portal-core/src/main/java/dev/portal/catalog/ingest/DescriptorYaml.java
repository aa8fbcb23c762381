package dev.portal.catalog.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.portal.error.InvalidInputException;
import org.yaml.snakeyaml.resolver.Resolver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one YAML reader and writer for descriptors that are read, changed and written back (the
 * Scaffolder stamps provenance into a skeleton's {@code catalog-info.yaml}, edits a repository's
 * descriptor): reading is the catalog's own ({@link DescriptorParser}: the YAML 1.2 core schema,
 * its limits, no Java objects), so a value means the same when the Scaffolder rewrites it as when
 * the catalog reads it. Writing quotes every string that a YAML 1.2 or a YAML 1.1 reader would take
 * for something else ({@code yes}, {@code on}, {@code 0o17}, {@code 1_000}, {@code 12:30},
 * {@code 2024-01-01}, {@code 1e3}, {@code ~}), so {@code tier: yes} stays the string "yes"
 * wherever the file goes next. Key order and documents are kept; comments and formatting are not.
 */
public final class DescriptorYaml {

    private static final DescriptorParser PARSER = new DescriptorParser(ParserLimits.defaults());

    private static final YAMLMapper WRITER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new EitherSchema())
            .build());

    private DescriptorYaml() {
    }

    /**
     * Every document of {@code yaml}, in order, empty ones left out.
     *
     * @param source names the text in messages (a file name)
     * @throws InvalidInputException when the text is not YAML the catalog would read, naming the
     *     document and position (never the content)
     */
    public static List<ObjectNode> read(String source, String yaml) {
        List<ObjectNode> documents = new ArrayList<>();
        for (ParsedDocument document : PARSER.parse(source, yaml.getBytes(StandardCharsets.UTF_8))) {
            switch (document) {
                case ParsedDocument.Parsed parsed -> documents.add(parsed.json());
                case ParsedDocument.Failed failed -> throw new InvalidInputException("not valid YAML: " + failed.message());
            }
        }
        return documents;
    }

    /** The documents as YAML, separated by {@code ---}; missing documents are left out. */
    public static String write(List<? extends JsonNode> documents) {
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            if (document == null || document.isMissingNode()) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            try {
                out.append(WRITER.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a JSON tree as YAML: " + e.getMessage(), e);
            }
        }
        return out.toString();
    }

    /**
     * Quotes a plain scalar that either schema would not read as a string: Jackson's own rules
     * (YAML 1.1 booleans, plain decimals, special characters), the core schema's patterns (what the
     * catalog and Backstage read) and SnakeYAML's YAML 1.1 patterns (what older tools read).
     */
    private static final class EitherSchema extends StringQuotingChecker {

        private static final List<Pattern> NOT_STRINGS = List.of(
                CoreSchemaResolver.NULL, CoreSchemaResolver.BOOL, CoreSchemaResolver.INT, CoreSchemaResolver.FLOAT,
                Resolver.BOOL, Resolver.INT, Resolver.FLOAT, Resolver.NULL, Resolver.TIMESTAMP, Resolver.MERGE,
                Resolver.VALUE, Resolver.YAML);

        private final StringQuotingChecker jackson = StringQuotingChecker.Default.instance();

        @Override
        public boolean needToQuoteName(String name) {
            return jackson.needToQuoteName(name) || notAString(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return jackson.needToQuoteValue(value) || notAString(value);
        }

        private static boolean notAString(String text) {
            for (Pattern pattern : NOT_STRINGS) {
                if (pattern.matcher(text).matches()) {
                    return true;
                }
            }
            return false;
        }
    }
}
