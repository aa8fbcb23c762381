package dev.portal.catalog.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A catalog entity in Backstage's descriptor format ({@code apiVersion}, {@code kind},
 * {@code metadata}, {@code spec}). Immutable: the JSON tree is copied in and out, and
 * {@link #with(Consumer)} returns a changed copy.
 *
 * <p>An {@code Entity} is only made from a document that has passed envelope validation (string
 * {@code apiVersion}, {@code kind} and {@code metadata.name}), so the accessors never fail.
 */
public final class Entity {

    /** Annotation naming the location that emitted the entity, {@code type:target}. */
    public static final String MANAGED_BY_LOCATION = "backstage.io/managed-by-location";
    /** Annotation naming the location that was registered and led to the entity, {@code type:target}. */
    public static final String MANAGED_BY_ORIGIN_LOCATION = "backstage.io/managed-by-origin-location";
    /** Annotation set on entities whose location no longer emits them. */
    public static final String ORPHAN = "backstage.io/orphan";

    private final ObjectNode json;

    private Entity(ObjectNode json) {
        this.json = json;
    }

    /**
     * Wraps a validated descriptor.
     *
     * @throws IllegalArgumentException if {@code kind} or {@code metadata.name} is missing
     */
    public static Entity of(ObjectNode json) {
        return wrap(Objects.requireNonNull(json, "json").deepCopy());
    }

    /** Wraps {@code json}, which nothing else holds. */
    private static Entity wrap(ObjectNode json) {
        if (!json.path("kind").isTextual() || !json.path("metadata").path("name").isTextual()
                || !json.path("apiVersion").isTextual()) {
            throw new IllegalArgumentException("an entity needs string apiVersion, kind and metadata.name");
        }
        return new Entity(json);
    }

    public String apiVersion() {
        return json.get("apiVersion").asText();
    }

    public String kind() {
        return json.get("kind").asText();
    }

    public String name() {
        return json.get("metadata").get("name").asText();
    }

    /** The namespace, {@code default} when the descriptor names none. */
    public String namespace() {
        JsonNode namespace = json.get("metadata").get("namespace");
        return namespace != null && namespace.isTextual() ? namespace.asText() : EntityRef.DEFAULT_NAMESPACE;
    }

    public EntityRef ref() {
        return new EntityRef(kind(), namespace(), name());
    }

    /** {@code metadata.uid} once the catalog has stored the entity. */
    public Optional<String> uid() {
        return text(json.get("metadata").get("uid"));
    }

    /** {@code metadata.etag} once the catalog has stored the entity. */
    public Optional<String> etag() {
        return text(json.get("metadata").get("etag"));
    }

    public Optional<String> annotation(String key) {
        return text(json.get("metadata").path("annotations").get(key));
    }

    /** A read-only view of {@code metadata}; use {@link #toJson()} for a copy to change. */
    public JsonNode metadata() {
        return json.get("metadata");
    }

    /** {@code spec}, or a missing node when the descriptor has none. */
    public JsonNode spec() {
        JsonNode spec = json.get("spec");
        return spec == null ? MissingNode.getInstance() : spec;
    }

    /** A copy of the whole entity as JSON. */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /** A read-only view of the whole entity, for reading it without a copy; use {@link #toJson()} for a copy to change. */
    public JsonNode json() {
        return json;
    }

    /**
     * A copy of this entity with {@code change} applied to its JSON. The copy holds the node
     * {@code change} is given, so {@code change} must not keep it.
     *
     * @throws IllegalArgumentException if the change leaves no string {@code apiVersion}, {@code kind} or {@code metadata.name}
     */
    public Entity with(Consumer<ObjectNode> change) {
        ObjectNode copy = json.deepCopy();
        change.accept(copy);
        return wrap(copy);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entity that && json.equals(that.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return ref().toString();
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
