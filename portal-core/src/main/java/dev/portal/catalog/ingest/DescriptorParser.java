package dev.portal.catalog.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads descriptor sources ({@code catalog-info.yaml} and friends) into JSON documents, one
 * {@link ParsedDocument} per YAML document. Plain JSON sources are read too.
 *
 * <p>Sources come from repositories the catalog does not control, so reading is defensive: a
 * source larger than {@link ParserLimits#maxBytes()}, with more than
 * {@link ParserLimits#maxDocuments()} documents, with collections nested deeper than
 * {@link ParserLimits#maxDepth()}, or whose aliases expand beyond {@link ParserLimits#maxAliases()}
 * or {@link ParserLimits#maxNodes()}, or whose text (keys and scalars, aliases counted each time
 * they are used) adds up to more than {@link ParserLimits#maxBytes()} characters is rejected as a
 * whole with a {@link DescriptorException}.
 * Only the JSON-compatible standard tags ({@code !!str}, {@code !!int}, {@code !!float},
 * {@code !!bool}, {@code !!null}, {@code !!seq}, {@code !!map}) are accepted; no Java objects are
 * ever constructed. Plain scalars follow the YAML 1.2 core schema, as Backstage's reader does, so
 * {@code 2024-01-01} and {@code yes} stay strings.
 *
 * <p>Problems confined to one document (syntax errors, unsupported tags, duplicate keys, a
 * document that is not a mapping) become a {@link ParsedDocument.Failed} for that document; the
 * documents before and after it are still returned. Messages name the source, the document, the
 * position and the rule, never the content: a file that is no descriptor at all (a key, a
 * password file) must not be readable through the errors it causes. Empty documents are skipped, but keep their
 * number: documents are numbered from 1 by their position in the source.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class DescriptorParser {

    private static final Set<Tag> STANDARD_TAGS =
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ, Tag.MAP);
    // A document marker is only ever a document marker: YAML forbids such lines inside content.
    private static final Pattern DOCUMENT_START = Pattern.compile("^---(?:[ \\t].*)?$");
    private static final Pattern DOCUMENT_END = Pattern.compile("^\\.\\.\\.(?:[ \\t].*)?$");
    // Parser messages that end by echoing source text: everything after the phrase is dropped.
    private static final Pattern ECHOED_CONTENT = Pattern.compile("(found undefined alias|found undefined tag handle"
            + "|found unknown escape character|but found:|expected URI in UTF-8:"
            + "|found a number which cannot represent a valid version:)");
    // Jackson's "Unrecognized token 'root': was expecting ...": the token is the source's text.
    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("(Unrecognized token) '[^']*'");

    private final ParserLimits limits;
    // Neither is changed once built, so both are shared by every read on every thread.
    private final LoaderOptions options;
    private final Resolver resolver = new CoreSchemaResolver();

    public DescriptorParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.options = loaderOptions(limits);
    }

    /**
     * Reads every document of one source.
     *
     * @param source names the source in messages, e.g. {@code catalog-info.yaml} or a URL
     * @param content the raw bytes; UTF-8 unless a byte order mark says UTF-16 or UTF-32
     * @return the documents in source order, empty documents left out
     * @throws DescriptorException when the source breaks one of the {@link ParserLimits}
     */
    public List<ParsedDocument> parse(String source, byte[] content) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(content, "content");
        if (content.length > limits.maxBytes()) {
            throw new DescriptorException(source, source + " is " + content.length
                    + " bytes; descriptors are limited to " + limits.maxBytes() + " bytes (ParserLimits.maxBytes)");
        }
        String text = decode(source, content);
        Budget budget = new Budget(source);
        if (looksLikeJson(text)) {
            return parseJson(source, text, budget);
        }
        List<ParsedDocument> documents = new ArrayList<>();
        int index = 0;
        for (Chunk chunk : chunks(text)) {
            index = parseChunk(source, chunk, index, budget, documents);
        }
        return documents;
    }

    /**
     * Reads one value of any kind (a mapping, a list, a scalar) from YAML or JSON: what a {@code $json} or
     * {@code $yaml} substitution brings into a descriptor. The same limits hold as for a descriptor, with
     * the nesting counted from {@code depth}, where the value is put.
     *
     * @param source names the source in messages
     * @param depth how deep in its document the value is put
     * @throws DescriptorException naming the source, the position and the rule (never the content) when the
     *     content is not one valid YAML or JSON value within the limits
     */
    public JsonNode parseValue(String source, byte[] content, int depth) {
        Objects.requireNonNull(source, "source");
        if (content.length > limits.maxBytes()) {
            throw new DescriptorException(source, source + " is " + content.length + " bytes; descriptors are"
                    + " limited to " + limits.maxBytes() + " bytes (ParserLimits.maxBytes)");
        }
        if (depth >= limits.maxDepth()) {
            throw depthBroken(source);
        }
        DescriptorParser inner = new DescriptorParser(limits.withMaxDepth(limits.maxDepth() - depth));
        String text = decode(source, content);
        Budget budget = inner.new Budget(source);
        if (looksLikeJson(text)) {
            JsonNode json = inner.readJson(source, text);
            budget.spend(count(json));
            budget.spendText(text(json));
            return json;
        }
        JsonNode value = null;
        try {
            for (Node root : inner.composeAll(text)) {
                if (root == null || isEmpty(root)) {
                    continue;
                }
                if (value != null) {
                    throw new DescriptorException(source, source + " holds more than one YAML document; a"
                            + " substitution brings in one value");
                }
                try {
                    value = inner.new Converter(source, budget).convert(root, 0);
                } catch (DocumentProblem problem) {
                    throw new DescriptorException(source, source + ", " + position(problem.mark, new Chunk(text, 0))
                            + ": " + problem.getMessage());
                }
            }
        } catch (MarkedYAMLException e) {
            throw new DescriptorException(source, source + ", " + syntaxMessage(1, e, new Chunk(text, 0))
                    .replaceFirst("^document 1, ", ""));
        } catch (YAMLException e) {
            throw inner.limitBroken(source, e);
        }
        return value == null ? JsonNodeFactory.instance.nullNode() : value;
    }

    private JsonNode readJson(String source, String text) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxBytes())
                        .build())
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        ObjectMapper mapper = JsonMapper.builder(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        try {
            return mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw depthBroken(source);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String position = location == null ? "unknown position"
                    : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            String problem = withoutContent(String.valueOf(e.getOriginalMessage()));
            throw new DescriptorException(source, source + ", " + position + ": "
                    + problem.lines().findFirst().orElse(problem));
        }
    }

    // Each chunk is parsed on its own so that a syntax error, which leaves SnakeYAML's stream
    // unusable, costs only its own document and not every document after it.
    private int parseChunk(String source, Chunk chunk, int index, Budget budget, List<ParsedDocument> out) {
        try {
            for (Node root : composeAll(chunk.text())) {
                index = nextIndex(source, index);
                if (root == null || isEmpty(root)) {
                    continue;
                }
                out.add(toDocument(source, index, root, chunk, budget));
            }
            return index;
        } catch (MarkedYAMLException e) {
            index = nextIndex(source, index);
            out.add(new ParsedDocument.Failed(source, index, syntaxMessage(index, e, chunk)));
            return index;
        } catch (YAMLException e) {
            throw limitBroken(source, e);
        }
    }

    private ParsedDocument toDocument(String source, int index, Node root, Chunk chunk, Budget budget) {
        try {
            JsonNode json = new Converter(source, budget).convert(root, 0);
            if (json instanceof ObjectNode object) {
                return new ParsedDocument.Parsed(source, index, object);
            }
            return new ParsedDocument.Failed(source, index, "document " + index + " is " + describe(json)
                    + "; an entity must be a mapping with apiVersion, kind, metadata");
        } catch (DocumentProblem problem) {
            return new ParsedDocument.Failed(source, index,
                    "document " + index + ", " + position(problem.mark, chunk) + ": " + problem.getMessage());
        }
    }

    private int nextIndex(String source, int index) {
        if (index >= limits.maxDocuments()) {
            throw new DescriptorException(source, source + " has more than " + limits.maxDocuments()
                    + " documents; descriptors are limited to " + limits.maxDocuments()
                    + " documents per source (ParserLimits.maxDocuments)");
        }
        return index + 1;
    }

    /**
     * The YAML documents of {@code text} as nodes, one at a time. Only composition is used (nodes,
     * never Java objects), so there is no {@code Yaml} here: it would build a constructor and a
     * representer, two maps of a few dozen entries each, for every document the catalog reads.
     */
    private Iterable<Node> composeAll(String text) {
        Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), resolver, options);
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return composer.checkNode();
            }

            @Override
            public Node next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return composer.getNode();
            }
        };
    }

    private static LoaderOptions loaderOptions(ParserLimits limits) {
        LoaderOptions options = new LoaderOptions();
        // Bytes were checked already and a code point never takes less than a byte; the one extra
        // allows for the line break the splitter ends each chunk with.
        options.setCodePointLimit(limits.maxBytes() + 1);
        options.setMaxAliasesForCollections(limits.maxAliases());
        options.setNestingDepthLimit(limits.maxDepth());
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setProcessComments(false);
        options.setTagInspector(tag -> false);
        return options;
    }

    private DescriptorException limitBroken(String source, YAMLException e) {
        if (e instanceof ReaderException unreadable) {
            // SnakeYAML's own message holds the offending character itself.
            return new DescriptorException(source, source + " contains the character U+"
                    + String.format("%04X", unreadable.getCodePoint()) + " at position " + (unreadable.getPosition() + 1)
                    + ", which YAML does not allow unescaped");
        }
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("aliases")) {
            return new DescriptorException(source, source + " uses more than " + limits.maxAliases()
                    + " aliases to collections in one document; descriptors are limited to " + limits.maxAliases()
                    + " (ParserLimits.maxAliases), which stops alias expansion attacks such as 'billion laughs'");
        }
        if (reason.contains("Nesting Depth")) {
            return depthBroken(source);
        }
        return new DescriptorException(source, source + " could not be read: " + withoutContent(reason.lines()
                .findFirst().orElse(reason)));
    }

    private DescriptorException depthBroken(String source) {
        return new DescriptorException(source, source + " nests collections more than " + limits.maxDepth()
                + " levels deep; descriptors are limited to " + limits.maxDepth() + " levels (ParserLimits.maxDepth)");
    }

    private static String syntaxMessage(int index, MarkedYAMLException e, Chunk chunk) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        // Never e.getMessage(): it quotes the offending line of the source.
        String problem = e.getProblem() != null ? withoutContent(e.getProblem()) : "not valid YAML";
        String context = e.getContext() != null ? e.getContext() + ", " : "";
        return "document " + index + ", " + position(mark, chunk) + ": " + context + problem;
    }

    /**
     * A parser's message without the source text it quotes: a name (alias, tag handle, escape),
     * or the token Jackson did not recognise. What is left names the rule; the position names
     * the place.
     */
    private static String withoutContent(String message) {
        Matcher echo = ECHOED_CONTENT.matcher(message);
        return echo.find() ? message.substring(0, echo.end()).stripTrailing()
                : UNRECOGNIZED_TOKEN.matcher(message).replaceAll("$1");
    }

    private static String position(Mark mark, Chunk chunk) {
        if (mark == null) {
            return "unknown position";
        }
        return "line " + (chunk.firstLine() + mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static boolean isEmpty(Node root) {
        return root instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL) && scalar.getValue().isEmpty();
    }

    private static String decode(String source, byte[] content) {
        try (Reader reader = new UnicodeReader(new ByteArrayInputStream(content))) {
            StringBuilder text = new StringBuilder(content.length);
            char[] buffer = new char[8192];
            for (int read; (read = reader.read(buffer)) >= 0; ) {
                text.append(buffer, 0, read);
            }
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new DescriptorException(source, source + " is not valid UTF-8 (or UTF-16/32 with a byte order mark)");
        } catch (IOException e) {
            throw new DescriptorException(source, source + " could not be read: " + e.getMessage());
        }
    }

    /** Splits a YAML stream at its document markers, keeping directives with the document they precede. */
    private static List<Chunk> chunks(String text) {
        List<Chunk> chunks = new ArrayList<>();
        List<String> lines = lines(text);
        StringBuilder current = new StringBuilder(text.length() / 8);
        int firstLine = 0;
        boolean hasContent = false;
        boolean afterEnd = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean startsDocument = (line.startsWith("---") && DOCUMENT_START.matcher(line).matches())
                    || (afterEnd && line.startsWith("%"));
            if (startsDocument && hasContent) {
                chunks.add(new Chunk(current.toString(), firstLine));
                current.setLength(0);
                firstLine = i;
                hasContent = false;
            }
            current.append(line).append('\n');
            if (line.startsWith("...") && DOCUMENT_END.matcher(line).matches()) {
                afterEnd = true;
            } else if (!line.isBlank() && !line.stripLeading().startsWith("#")) {
                afterEnd = false;
            }
            if (!line.isBlank() && !line.stripLeading().startsWith("#") && !line.startsWith("%")) {
                hasContent = true;
            }
        }
        chunks.add(new Chunk(current.toString(), firstLine));
        return chunks;
    }

    /**
     * The lines of {@code text}, split at CR LF, CR or LF, a last empty line kept: what
     * {@code text.split("\r\n|\r|\n", -1)} gives, without a regular expression over the whole file.
     */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        lines.add(text.substring(start));
        return lines;
    }

    private static boolean looksLikeJson(String text) {
        String start = text.stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }

    // JSON gets its own reader: YAML rejects tabs as indentation, which pretty-printed JSON often has.
    private List<ParsedDocument> parseJson(String source, String text, Budget budget) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxBytes())
                        .build())
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        ObjectMapper mapper = JsonMapper.builder(factory)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            throw depthBroken(source);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String position = location == null ? "unknown position"
                    : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            String problem = withoutContent(String.valueOf(e.getOriginalMessage()));
            return List.of(new ParsedDocument.Failed(source, 1, "document 1, " + position + ": "
                    + problem.lines().findFirst().orElse(problem)));
        }
        budget.spend(count(json));
        budget.spendText(text(json));
        if (json instanceof ObjectNode object) {
            return List.of(new ParsedDocument.Parsed(source, 1, object));
        }
        return List.of(new ParsedDocument.Failed(source, 1,
                "document 1 is " + describe(json) + "; an entity must be a mapping with apiVersion, kind, metadata"));
    }

    private static int count(JsonNode json) {
        int total = 1;
        for (JsonNode child : json) {
            total += count(child);
        }
        return total;
    }

    /** The characters of a JSON document's keys and strings. */
    private static long text(JsonNode json) {
        if (json.isTextual()) {
            return json.textValue().length();
        }
        long total = 0;
        for (var field : json.properties()) {
            total += field.getKey().length() + text(field.getValue());
        }
        if (json.isArray()) {
            for (JsonNode item : json) {
                total += text(item);
            }
        }
        return total;
    }

    /** What a document is instead of a mapping: its type only, never its content. */
    private static String describe(JsonNode json) {
        if (json.isArray()) {
            return "a list";
        }
        if (json.isNull()) {
            return "null";
        }
        return "a single value (a " + json.getNodeType().toString().toLowerCase(Locale.ROOT) + ")";
    }

    private record Chunk(String text, int firstLine) {
    }

    /**
     * The values and text one source may still expand to; shared by all its documents. Aliases to
     * scalars are free for {@link ParserLimits#maxAliases()}, so without the text count a 64 KiB
     * anchor used 64 times made a 4 MiB entity from a 64 KiB file.
     */
    private final class Budget {

        private final String source;
        private long spent;
        private long text;

        Budget(String source) {
            this.source = source;
        }

        void spend(long nodes) {
            spent += nodes;
            if (spent > limits.maxNodes()) {
                throw new DescriptorException(source, source + " expands to more than " + limits.maxNodes()
                        + " values; descriptors are limited to " + limits.maxNodes()
                        + " values per source (ParserLimits.maxNodes), aliases counted each time they are used");
            }
        }

        void spendText(long characters) {
            text += characters;
            if (text > limits.maxBytes()) {
                throw new DescriptorException(source, source + " expands to more than " + limits.maxBytes()
                        + " characters of keys and values; descriptors are limited to " + limits.maxBytes()
                        + " per source (ParserLimits.maxBytes), aliases counted each time they are used");
            }
        }
    }

    /** A problem confined to one document, at a place in it. */
    private static final class DocumentProblem extends RuntimeException {

        private final transient Mark mark;

        DocumentProblem(Mark mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }

    /** Turns composed YAML nodes into Jackson nodes, checking what composition leaves unchecked. */
    private final class Converter {

        private final String source;
        private final Budget budget;
        // Nodes on the path from the root: an alias may point at a collection that contains it.
        private final Set<Node> path = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(String source, Budget budget) {
            this.source = source;
            this.budget = budget;
        }

        JsonNode convert(Node node, int depth) {
            budget.spend(1);
            Tag tag = node.getTag();
            if (!STANDARD_TAGS.contains(tag)) {
                throw new DocumentProblem(node.getStartMark(), "tag " + display(tag)
                        + " is not allowed; descriptors may only use !!str, !!int, !!float, !!bool, !!null, !!seq and !!map");
            }
            if (node instanceof ScalarNode scalar) {
                return scalar(scalar);
            }
            if (depth >= limits.maxDepth()) {
                throw depthBroken(source);
            }
            if (!path.add(node)) {
                throw new DocumentProblem(node.getStartMark(), "an alias refers to a collection that contains it");
            }
            try {
                return node instanceof MappingNode mapping ? mapping(mapping, depth) : sequence((SequenceNode) node, depth);
            } finally {
                path.remove(node);
            }
        }

        private ObjectNode mapping(MappingNode mapping, int depth) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)) {
                    throw new DocumentProblem(keyNode.getStartMark(), "mapping keys must be scalars, not collections");
                }
                budget.spendText(key.getValue().length());
                if (object.has(key.getValue())) {
                    throw new DocumentProblem(keyNode.getStartMark(), "duplicate key '" + key.getValue() + "'");
                }
                object.set(key.getValue(), convert(tuple.getValueNode(), depth + 1));
            }
            return object;
        }

        private ArrayNode sequence(SequenceNode sequence, int depth) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (Node item : sequence.getValue()) {
                array.add(convert(item, depth + 1));
            }
            return array;
        }

        private JsonNode scalar(ScalarNode scalar) {
            String value = scalar.getValue();
            // An alias to a scalar is the scalar again, so its text is counted at every use.
            budget.spendText(value.length());
            Tag tag = scalar.getTag();
            try {
                if (tag.equals(Tag.NULL)) {
                    return JsonNodeFactory.instance.nullNode();
                }
                if (tag.equals(Tag.BOOL)) {
                    return JsonNodeFactory.instance.booleanNode(parseBoolean(value));
                }
                if (tag.equals(Tag.INT)) {
                    return integer(value);
                }
                if (tag.equals(Tag.FLOAT)) {
                    return JsonNodeFactory.instance.numberNode(new BigDecimal(value.startsWith("+") ? value.substring(1) : value).doubleValue());
                }
            } catch (NumberFormatException e) {
                throw new DocumentProblem(scalar.getStartMark(), "the value is not a valid " + display(tag));
            }
            return JsonNodeFactory.instance.textNode(value);
        }

        private static boolean parseBoolean(String value) {
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw new NumberFormatException(value);
        }

        private static JsonNode integer(String value) {
            String digits = value.startsWith("+") ? value.substring(1) : value;
            BigInteger number;
            if (digits.startsWith("0x")) {
                number = new BigInteger(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                number = new BigInteger(digits.substring(2), 8);
            } else {
                number = new BigInteger(digits);
            }
            if (number.bitLength() < 32) {
                return JsonNodeFactory.instance.numberNode(number.intValue());
            }
            return number.bitLength() < 64
                    ? JsonNodeFactory.instance.numberNode(number.longValue())
                    : JsonNodeFactory.instance.numberNode(number);
        }

        private static String display(Tag tag) {
            return tag.getValue().startsWith(Tag.PREFIX) ? "!!" + tag.getValue().substring(Tag.PREFIX.length()) : tag.getValue();
        }
    }
}
