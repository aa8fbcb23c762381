package dev.portal.catalog.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A problem found while processing a location, kept until the location is processed again.
 *
 * @param locationId the location being processed
 * @param entityRef the entity concerned, or {@code null} when the document has no usable ref
 * @param documentIndex the position of the document in the source (1-based), or {@code null}
 * @param message what is wrong, naming the item and the rule
 */
public record ProcessingError(UUID locationId, String entityRef, Integer documentIndex, String message,
                              OffsetDateTime occurredAt) {

    /**
     * Escapes control characters ({@link CatalogText}) in the ref and the message: a problem with a
     * hostile document quotes what it found there, and must still be storable.
     */
    public ProcessingError {
        entityRef = CatalogText.escaped(entityRef);
        message = CatalogText.escaped(message);
    }
}
