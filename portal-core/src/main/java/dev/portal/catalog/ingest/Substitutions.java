package dev.portal.catalog.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.error.InvalidInputException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Backstage's placeholders in descriptors: a mapping that is exactly {@code {$text: <target>}},
 * {@code {$json: <target>}} or {@code {$yaml: <target>}} is replaced by the target's text, or by the
 * value its JSON or YAML holds ({@code definition: {$text: ./openapi.yaml}}). Targets are relative to
 * the descriptor or absolute URLs; who reads them, and under which fences, is the caller's
 * {@link Source}. What substitutions bring in is held to the source's {@link ParserLimits}: their
 * number ({@code maxSubstitutions}), their bytes together with the descriptor's own
 * ({@code maxBytes}), and the nesting of parsed values from where they are put ({@code maxDepth}).
 * Substituted content is not searched for further placeholders.
 *
 * <p>One instance serves one source (its budget is shared by all the source's documents) and is not
 * thread-safe.
 */
public final class Substitutions {

    /** The placeholder keys. */
    public static final Set<String> KEYS = Set.of("$text", "$json", "$yaml");

    /** Reads a substitution's target. */
    @FunctionalInterface
    public interface Source {

        /**
         * The bytes of {@code target}, as written in the descriptor.
         *
         * @throws InvalidInputException (or a {@link LocationReadException}) naming why the target may not or
         *     cannot be read
         */
        byte[] read(String target);
    }

    private final ParserLimits limits;
    private final DescriptorParser parser;
    private final Source source;
    private final String sourceName;
    private long bytesLeft;
    private int made;
    private final MessageDigest digest;
    /** Where the walk is: field names and array indexes, joined into a path only for a message. */
    private final List<Object> at = new ArrayList<>();

    /**
     * @param sourceName names the descriptor in messages
     * @param descriptorBytes the descriptor's own size, which its substitutions share the byte limit with
     */
    public Substitutions(ParserLimits limits, String sourceName, int descriptorBytes, Source source) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.parser = new DescriptorParser(limits);
        this.source = Objects.requireNonNull(source, "source");
        this.sourceName = sourceName;
        this.bytesLeft = (long) limits.maxBytes() - descriptorBytes;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Replaces the placeholders of one document in place.
     *
     * @param subject names the document in messages ({@code <source>, document 2})
     * @throws InvalidInputException naming the field, the target and the rule when a placeholder is malformed,
     *     its target may not or cannot be read, or a limit is reached
     */
    public void apply(ObjectNode document, String subject) {
        at.clear();
        walk(document, 0, subject);
    }

    /** How many substitutions were made. */
    public int count() {
        return made;
    }

    /** A hash of everything the substitutions read, in order: part of the source's version. */
    public String contentHash() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests clone", e);
        }
    }

    private JsonNode walk(JsonNode node, int depth, String subject) {
        if (node instanceof ObjectNode object) {
            if (object.size() == 1 && KEYS.contains(object.fieldNames().next())) {
                return substitute(object, depth, subject);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isContainerNode()) {
                    at.add(entry.getKey());
                    JsonNode replaced = walk(entry.getValue(), depth + 1, subject);
                    at.removeLast();
                    if (replaced != entry.getValue()) {
                        entry.setValue(replaced);
                    }
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isContainerNode()) {
                    at.add(i);
                    JsonNode replaced = walk(array.get(i), depth + 1, subject);
                    at.removeLast();
                    if (replaced != array.get(i)) {
                        array.set(i, replaced);
                    }
                }
            }
        }
        return node;
    }

    private JsonNode substitute(ObjectNode placeholder, int depth, String subject) {
        String key = placeholder.fieldNames().next();
        JsonNode value = placeholder.get(key);
        String field = field();
        String where = subject + ": " + (field.isEmpty() ? "the document" : field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidInputException(where + ": " + key + " needs a target (a path relative to the"
                    + " descriptor, or a URL)");
        }
        String target = value.asText();
        if (made >= limits.maxSubstitutions()) {
            throw new InvalidInputException(where + ": " + key + " " + target + " is one substitution more than the "
                    + limits.maxSubstitutions() + " one source may make (ParserLimits.maxSubstitutions)");
        }
        byte[] content = source.read(target);
        made++;
        bytesLeft -= content.length;
        if (bytesLeft < 0) {
            throw new InvalidInputException(where + ": " + key + " " + target + " brings the source past "
                    + limits.maxBytes() + " bytes, the limit for a descriptor with what its substitutions bring in"
                    + " (ParserLimits.maxBytes)");
        }
        digest.update(target.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content);
        String name = sourceName + " (" + key + " " + target + ")";
        return switch (key) {
            case "$text" -> JsonNodeFactory.instance.textNode(utf8(where, key, target, content));
            default -> {
                try {
                    yield parser.parseValue(name, content, depth);
                } catch (DescriptorException e) {
                    throw new InvalidInputException(where + ": " + e.getMessage());
                }
            }
        };
    }

    private static String utf8(String where, String key, String target, byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(where + ": " + key + " " + target + " is not UTF-8 text");
        }
    }

    /** The walk's position as a path: {@code spec.definition}, {@code spec.items[2].text}. */
    private String field() {
        StringBuilder path = new StringBuilder();
        for (Object step : at) {
            if (step instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(step);
            }
        }
        return path.toString();
    }
}
