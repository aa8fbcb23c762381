package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.Relation;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One entity to store, with the relations its descriptor produced (both directions).
 *
 * @param entity the entity as authored, plus the annotations processing added (managed-by-*);
 *     any {@code metadata.uid} or {@code metadata.etag} in it is ignored: the store assigns them
 * @param relations every relation this entity's descriptor produced; they replace the rows this
 *     entity produced before
 * @param locationId the location that emits the entity, or {@code null} for none
 * @param expectedEtag the etag the caller last read, to refuse the write if someone changed the
 *     entity since; {@code null} to write whatever is stored now
 */
public record EntityWrite(Entity entity, List<Relation> relations, UUID locationId, String expectedEtag) {

    public EntityWrite {
        Objects.requireNonNull(entity, "entity");
        relations = List.copyOf(relations);
    }
}
