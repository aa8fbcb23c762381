package dev.portal.catalog.persistence;

import dev.portal.catalog.model.EntityRef;

import java.util.UUID;

/**
 * The bookkeeping columns of a stored entity, without its document: enough for processing to
 * decide ownership, staleness and orphaning without loading entities.
 *
 * @param locationId the location that emits the entity now, or {@code null} once that location is gone
 * @param locationKey the registration the entity belongs to (the ref of its origin location, as in
 *     its {@code backstage.io/managed-by-origin-location}); kept when the entity becomes an orphan,
 *     {@code null} for entities stored without one
 */
public record EntityHead(UUID uid, EntityRef ref, UUID locationId, String etag, String contentHash, boolean orphan,
                         String locationKey) {
}
