package dev.portal.catalog.persistence;

import dev.portal.catalog.model.EntityRef;

import java.util.UUID;

/**
 * What {@link EntityStore#upsert} did with one entity.
 *
 * @param ref the entity
 * @param uid its uid, kept across updates
 * @param etag its etag after the write; a new one whenever the content changed
 * @param outcome whether the row was created, changed or left as it was
 */
public record WriteResult(EntityRef ref, UUID uid, String etag, Outcome outcome) {

    public enum Outcome { CREATED, UPDATED, UNCHANGED }
}
