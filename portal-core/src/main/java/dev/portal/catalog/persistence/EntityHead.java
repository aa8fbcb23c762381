package dev.portal.catalog.persistence;

import dev.portal.catalog.model.EntityRef;

import java.util.UUID;

/**
 * The bookkeeping columns of a stored entity, without its document: enough for processing to
 * decide ownership, staleness and orphaning without loading entities.
 */
public record EntityHead(UUID uid, EntityRef ref, UUID locationId, String etag, String contentHash, boolean orphan) {
}
