package dev.portal.catalog.model;

import java.util.Objects;

/**
 * A directed relation between two entities, e.g. {@code component:default/x ownedBy group:default/a}.
 * Relations are derived from descriptor fields and always stored in both directions.
 *
 * @param source the entity the relation starts from
 * @param type the relation type, one of {@link RelationType}'s constants for built-in kinds
 * @param target the entity the relation points at; it may not exist (yet)
 */
public record Relation(EntityRef source, String type, EntityRef target) {

    public Relation {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }
}
