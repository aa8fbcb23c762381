package dev.portal.catalog.processing;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Problem;
import dev.portal.catalog.model.Relation;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of processing one descriptor: the entity with its relations, or the problems that
 * keep it out of the catalog. An entity with any problem is invalid and is not stored.
 *
 * @param entity the entity, or {@code null} when there are problems
 * @param relations the entity's relations in both directions; empty when invalid
 * @param problems everything wrong with the descriptor; empty when valid
 */
public record ProcessedEntity(Entity entity, List<Relation> relations, List<Problem> problems) {

    public ProcessedEntity {
        relations = List.copyOf(relations);
        problems = List.copyOf(problems);
        if ((entity == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("an entity is present exactly when there are no problems");
        }
    }

    /** Whether the descriptor has no problems and may be stored. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * The distinct entities this entity's relations point at, itself excluded: what the catalog's
     * strict-references mode checks for existence.
     */
    public List<EntityRef> references() {
        if (entity == null) {
            return List.of();
        }
        EntityRef self = entity.ref();
        Set<EntityRef> targets = new LinkedHashSet<>();
        for (Relation relation : relations) {
            if (relation.source().equals(self) && !relation.target().equals(self)) {
                targets.add(relation.target());
            }
        }
        return List.copyOf(targets);
    }
}
