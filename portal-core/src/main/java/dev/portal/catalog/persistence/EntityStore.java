package dev.portal.catalog.persistence;

import dev.portal.catalog.model.EntityRef;
import org.jooq.DSLContext;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The write side of the entity tables (entities, relations, search), as processing uses it. Every
 * method runs on the {@link DSLContext} it was made with: pass a transaction's context to make
 * several calls atomic.
 */
public interface EntityStore {

    /** The store over the portal tables that {@code dsl} addresses (see {@link PortalSchema#dsl}). */
    static EntityStore jooq(DSLContext dsl) {
        return new JooqEntityStore(dsl);
    }

    /**
     * Inserts or updates entities with their relations and search rows, in the order given. An
     * entity whose content (document and relations) is unchanged is left alone (same etag,
     * {@link WriteResult.Outcome#UNCHANGED}); a changed one gets a new etag and generation + 1 and
     * loses any orphan mark. The uid of an existing ref is kept.
     *
     * @throws StaleEntityException if a write's {@code expectedEtag} is not the stored etag; no
     *     later write of the batch is applied (the caller's transaction rolls the batch back)
     */
    List<WriteResult> upsert(List<EntityWrite> writes);

    /** The stored heads for those refs that exist, keyed by ref (matched case-insensitively). */
    Map<EntityRef, EntityHead> heads(Collection<EntityRef> refs);

    /** The heads of every entity the location emits (orphans included). */
    List<EntityHead> headsByLocation(UUID locationId);

    /**
     * Marks entities as orphans: their location no longer emits them. They stay readable, carry
     * the {@code backstage.io/orphan: "true"} annotation and get a new etag. Already-marked ones
     * are left alone.
     *
     * @return how many entities were newly marked
     */
    int markOrphaned(Collection<UUID> uids);

    /** Deletes every entity marked as orphan; returns how many were deleted. */
    int deleteOrphans();

    /** Deletes one entity with its relations and search rows; {@code false} if there was none. */
    boolean deleteByUid(UUID uid);
}
