package dev.portal.approval;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Group membership from the catalog: a user's groups are the targets of its {@code memberOf}
 * relations; with {@code nested}, also every ancestor of those groups ({@code childOf}, i.e.
 * {@code spec.parent}), so a member of {@code payments} counts as a member of {@code engineering}.
 *
 * <p>Only current entities count: an orphaned user (its trusted source no longer lists it) belongs
 * to no group, and an orphaned group has no members. The catalog accepts User and Group entities
 * only from trusted registrations, so what is left is what those sources say now.
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
        Set<EntityRef> groups = new LinkedHashSet<>();
        for (EntityRef group : targets(user, RelationType.MEMBER_OF)) {
            if (current(group).isPresent()) {
                groups.add(group);
            }
        }
        if (nested) {
            Deque<EntityRef> pending = new ArrayDeque<>(groups);
            int steps = 0;
            while (!pending.isEmpty() && steps++ < MAX_DEPTH * 64) {
                for (EntityRef parent : targets(pending.removeFirst(), RelationType.CHILD_OF)) {
                    if (current(parent).isPresent() && groups.add(parent)) {
                        pending.addLast(parent);
                    }
                }
            }
        }
        return groups;
    }

    private Set<EntityRef> targets(EntityRef source, String type) {
        Set<EntityRef> targets = new LinkedHashSet<>();
        current(source).ifPresent(stored -> stored.relations().stream()
                .filter(relation -> type.equals(relation.type()))
                .map(Relation::target)
                .forEach(targets::add));
        return targets;
    }

    private Optional<StoredEntity> current(EntityRef ref) {
        return entities.byRef(ref).filter(stored -> !stored.orphan());
    }
}
