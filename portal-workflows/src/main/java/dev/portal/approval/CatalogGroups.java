package dev.portal.approval;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.EntityQueries;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Group membership from the catalog: a user's groups are the targets of its {@code memberOf}
 * relations; with {@code nested}, also every ancestor of those groups ({@code childOf}, i.e.
 * {@code spec.parent}), so a member of {@code payments} counts as a member of {@code engineering}.
 */
public final class CatalogGroups {

    private static final int MAX_DEPTH = 32;

    private final EntityQueries entities;
    private final boolean nested;

    public CatalogGroups(EntityQueries entities, boolean nested) {
        this.entities = entities;
        this.nested = nested;
    }

    public Set<EntityRef> groupsOf(EntityRef user) {
        Set<EntityRef> groups = new LinkedHashSet<>(targets(user, RelationType.MEMBER_OF));
        if (nested) {
            Deque<EntityRef> pending = new ArrayDeque<>(groups);
            int steps = 0;
            while (!pending.isEmpty() && steps++ < MAX_DEPTH * 64) {
                for (EntityRef parent : targets(pending.removeFirst(), RelationType.CHILD_OF)) {
                    if (groups.add(parent)) {
                        pending.addLast(parent);
                    }
                }
            }
        }
        return groups;
    }

    private Set<EntityRef> targets(EntityRef source, String type) {
        Set<EntityRef> targets = new LinkedHashSet<>();
        entities.byRef(source).ifPresent(stored -> stored.relations().stream()
                .filter(relation -> type.equals(relation.type()))
                .map(Relation::target)
                .forEach(targets::add));
        return targets;
    }
}
