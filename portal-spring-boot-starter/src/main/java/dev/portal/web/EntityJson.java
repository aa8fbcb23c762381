package dev.portal.web;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    private final String text;

    private EntityJson(ObjectNode tree, String text) {
        this.tree = tree;
        this.text = text;
    }

    /** An entity as a tree; also how request bodies are read. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static EntityJson of(ObjectNode tree) {
        return new EntityJson(Objects.requireNonNull(tree, "tree"), null);
    }

    /** An entity already written as one compact JSON object, to be written out unchanged. */
    static EntityJson ofText(String json) {
        return new EntityJson(null, Objects.requireNonNull(json, "json"));
    }

    /** The entity as a tree (a new one when it is held as text). */
    public ObjectNode toJson() {
        if (tree != null) {
            return tree;
        }
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        if (tree != null) {
            tree.serialize(generator, serializers);
        } else {
            generator.writeRawValue(text);
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
        return tree != null ? tree.toString() : text;
    }
}
