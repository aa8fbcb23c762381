package dev.portal.catalog.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A reference to an entity, {@code kind:namespace/name}. Kind, namespace and name keep the case
 * they were written in; two refs are equal when they match case-insensitively, as in Backstage.
 *
 * @param kind the entity kind, e.g. {@code Component}
 * @param namespace the namespace, {@code default} unless stated
 * @param name the entity name
 */
public record EntityRef(String kind, String namespace, String name) {

    /** The namespace of refs and entities that do not name one. */
    public static final String DEFAULT_NAMESPACE = "default";

    public EntityRef {
        requireText(kind, "kind");
        requireText(namespace, "namespace");
        requireText(name, "name");
    }

    /**
     * A ref from its parts, as a caller sends them (e.g. the path of {@code /entities/by-name}).
     *
     * @throws InvalidEntityRefException when a part holds a control character ({@link CatalogText})
     */
    public static EntityRef of(String kind, String namespace, String name) {
        EntityRef ref = new EntityRef(kind, namespace, name);
        if (!CatalogText.isStorable(kind) || !CatalogText.isStorable(namespace) || !CatalogText.isStorable(name)) {
            String problem = CatalogText.problem(kind).or(() -> CatalogText.problem(namespace))
                    .orElseGet(() -> CatalogText.problem(name).orElseThrow());
            throw new InvalidEntityRefException(CatalogText.escaped(kind + ":" + namespace + "/" + name), problem);
        }
        return ref;
    }

    /**
     * Parses a full ref such as {@code component:default/x} or {@code group:team-a} (namespace
     * defaults to {@code default}).
     *
     * @throws InvalidEntityRefException when the kind is missing, a part is empty or the ref holds a
     *     control character ({@link CatalogText})
     */
    public static EntityRef parse(String ref) {
        return parse(ref, null, DEFAULT_NAMESPACE);
    }

    /**
     * Parses {@code [kind:][namespace/]name}, filling in the defaults a descriptor field allows,
     * e.g. {@code spec.owner: team-a} is {@code group:<entity's namespace>/team-a}.
     *
     * @param defaultKind the kind when the ref names none, or {@code null} if the kind is required
     * @param defaultNamespace the namespace when the ref names none
     * @throws InvalidEntityRefException when the ref is malformed or names no kind where one is required
     */
    public static EntityRef parse(String ref, String defaultKind, String defaultNamespace) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidEntityRefException(ref, "an entity ref must not be empty");
        }
        if (!CatalogText.isStorable(ref)) {
            throw new InvalidEntityRefException(CatalogText.escaped(ref), CatalogText.problem(ref).orElseThrow());
        }
        String rest = ref.trim();
        String kind = defaultKind;
        int colon = rest.indexOf(':');
        int slash = rest.indexOf('/');
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            kind = rest.substring(0, colon);
            rest = rest.substring(colon + 1);
            slash = rest.indexOf('/');
        }
        String namespace = defaultNamespace;
        if (slash >= 0) {
            namespace = rest.substring(0, slash);
            rest = rest.substring(slash + 1);
        }
        if (kind == null) {
            throw new InvalidEntityRefException(ref, "the ref must name a kind, as in kind:namespace/name");
        }
        if (kind.isEmpty() || namespace == null || namespace.isEmpty() || rest.isEmpty()) {
            throw new InvalidEntityRefException(ref, "kind, namespace and name must not be empty");
        }
        if (rest.indexOf(':') >= 0 || rest.indexOf('/') >= 0) {
            throw new InvalidEntityRefException(ref, "too many ':' or '/' separators");
        }
        return new EntityRef(kind, namespace, rest);
    }

    /** The lower-cased {@code kind:namespace/name}: the key refs are stored and matched by. */
    public String canonical() {
        return (kind + ':' + namespace + '/' + name).toLowerCase(Locale.ROOT);
    }

    /** Whether this ref is of the given kind, compared case-insensitively. */
    public boolean isKind(String otherKind) {
        return kind.equalsIgnoreCase(otherKind);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EntityRef that && canonical().equals(that.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }

    private static void requireText(String value, String part) {
        Objects.requireNonNull(value, part);
        if (value.isEmpty()) {
            throw new InvalidEntityRefException(value, "its " + part + " must not be empty");
        }
    }
}
