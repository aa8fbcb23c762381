package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;

import java.util.List;
import java.util.UUID;

/**
 * An entity as the catalog serves it.
 *
 * @param entity the document, with {@code metadata.uid}, {@code metadata.etag} and (when the
 *     descriptor left it to the default) {@code metadata.namespace} filled in
 * @param relations the relations whose source is this entity (both the ones its own descriptor
 *     produced and the reverse ones other descriptors produced), without duplicates, ordered by
 *     type then target
 */
public record StoredEntity(UUID uid, EntityRef ref, String etag, long generation, UUID locationId,
                           boolean orphan, Entity entity, List<Relation> relations) {

    public StoredEntity {
        relations = List.copyOf(relations);
    }
}
