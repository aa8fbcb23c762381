package dev.portal.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.portal.catalog.persistence.StoredEntity;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An entity on the catalog API's wire (the {@code Entity} schema of {@code openapi/portal-api.yaml}):
 * either a Jackson tree, or JSON text that is written out as it is. Stored entities are served as
 * text — their stored document with the relations spliced in — so the hot reads never parse a
 * document only to write it again; entities made or changed on the way (dry runs, generated
 * Location entities, {@code fields=} projections) and request bodies are trees.
 */
public final class EntityJson implements JsonSerializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode tree;
    // JSON text: given whole, or made on first use from a stored document and its relations
    private volatile String text;
    private final StoredEntity stored;

    private EntityJson(ObjectNode tree, String text, StoredEntity stored) {
        this.tree = tree;
        this.text = text;
        this.stored = stored;
    }

    /** An entity as a tree; also how request bodies are read. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EntityJson of(ObjectNode tree) {
        return new EntityJson(Objects.requireNonNull(tree, "tree"), null, null);
    }

    /**
     * A stored entity's document (compact JSON, one object, no {@code relations} key) with its
     * relations appended as the last key, {@code "relations":[{"type":...,"targetRef":...}]}:
     * written straight into the response, the document as it is and the relations as one piece,
     * never assembled into one string.
     */
    static EntityJson ofStored(StoredEntity stored) {
        return new EntityJson(null, null, Objects.requireNonNull(stored, "stored"));
    }

    /** The entity as a tree (a new one when it is held as text). */
    public ObjectNode toJson() {
        if (tree != null) {
            return tree;
        }
        try {
            return (ObjectNode) JSON.readTree(text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        if (tree != null) {
            tree.serialize(generator, serializers);
        } else if (stored != null && !(generator instanceof TokenBuffer)) {
            String document = stored.document();
            // The document without its closing brace as the value (the generator writes the
            // separator before it), then the relations and the brace as one raw piece: a write per
            // piece cost more than the pieces (a page holds some 4,000 relations). A TokenBuffer
            // keeps raw values whole and refuses raw text: it gets the assembled text below.
            String rest = CatalogWire.relationsAndEnd(stored, new StringBuilder(64 * (stored.relationCount() + 1)))
                    .toString();
            if (generator instanceof UTF8JsonGenerator) {
                // Into a byte stream (a response): the text as UTF-8 bytes, which the JDK makes at
                // the speed of a copy for ASCII text, where the generator's raw writes encode it
                // char by char (a seventh of a page's CPU)
                byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
                generator.writeRawValue(new RawUtf8(bytes, bytes.length - 1));
                generator.writeRaw(new RawUtf8(rest.getBytes(StandardCharsets.UTF_8)));
            } else {
                generator.writeRawValue(document, 0, document.length() - 1);
                generator.writeRaw(rest);
            }
        } else {
            generator.writeRawValue(text());
        }
    }

    private String text() {
        String assembled = text;
        if (assembled == null) {
            assembled = CatalogWire.withRelations(stored);
            text = assembled;
        }
        return assembled;
    }

    /**
     * Text already in UTF-8, written by a UTF-8 generator's raw writes as it is. Only the unquoted
     * forms are asked for by raw writes; the quoted ones are refused.
     */
    private record RawUtf8(byte[] bytes, int length) implements SerializableString {

        RawUtf8(byte[] bytes) {
            this(bytes, bytes.length);
        }

        @Override
        public String getValue() {
            return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes, 0, length);
            return length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes, 0, length);
            return length;
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON text is written unquoted");
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON text is written unquoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON text is written unquoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON text is written unquoted");
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON text is written unquoted");
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON text is written unquoted");
        }
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer types)
            throws IOException {
        // Free-form JSON: no type id, whatever default typing a host's mapper has.
        serialize(generator, serializers);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EntityJson that && toJson().equals(that.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    /** The JSON text. */
    @Override
    public String toString() {
        return tree != null ? tree.toString() : text();
    }
}
