package dev.portal.web;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.EntityQueries;

import java.util.Set;
import java.util.stream.Collectors;

/** The groups a user belongs to, from the catalog: the targets of the user entity's {@code memberOf} relations. */
public final class GroupMemberships {

    private final EntityQueries entities;

    public GroupMemberships(EntityQueries entities) {
        this.entities = entities;
    }

    public Set<EntityRef> groupsOf(EntityRef user) {
        return entities.byRef(user)
                .map(stored -> stored.relations().stream()
                        .filter(relation -> RelationType.MEMBER_OF.equals(relation.type()))
                        .map(Relation::target)
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
    }
}
