package dev.portal.web;

import dev.portal.catalog.model.Location;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a catalog action concerns, as a {@link CatalogPermissionPolicy} sees it: enough to refuse
 * by where things come from and what they are, e.g. "only admins register locations that hold
 * Groups" or "nobody deletes entities of configured locations".
 *
 * @param ref a location ref ({@code file:/srv/catalog-info.yaml}), an entity ref or uid, or
 *     {@code null} when the action concerns no single resource
 * @param origin how the location concerned came to be (for an entity: the location it was read
 *     from), or {@code null} when there is none or it is not known yet; a registration is
 *     {@link Location.Origin#API}
 * @param kinds the kinds concerned, lower-case: of the entities a location provides (or, when a
 *     registration is checked a second time after reading it, would provide), or of the entity;
 *     empty when not known
 */
public record CatalogResource(String ref, Location.Origin origin, Set<String> kinds) {

    /** Nothing in particular: lists, queries. */
    public static final CatalogResource NONE = new CatalogResource(null, null, Set.of());

    public CatalogResource {
        kinds = kinds == null ? Set.of()
                : kinds.stream().map(kind -> kind.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** A resource named by its ref alone. */
    public static CatalogResource of(String ref) {
        return new CatalogResource(ref, null, Set.of());
    }

    /** Whether {@link #kinds()} holds this kind, compared case-insensitively. */
    public boolean concerns(String kind) {
        return kinds.contains(kind.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return ref == null ? "the catalog" : ref;
    }
}
