package dev.portal.catalog.persistence;

import dev.portal.catalog.model.EntityRef;
import dev.portal.error.ConflictException;

/** A write named an etag the entity no longer has: someone changed it since the caller read it. */
public class StaleEntityException extends ConflictException {

    private final EntityRef ref;

    public StaleEntityException(EntityRef ref, String expectedEtag, String actualEtag) {
        super(ref + ": the entity changed since it was read (expected etag " + expectedEtag
                + ", stored etag " + actualEtag + "); read it again and retry");
        this.ref = ref;
    }

    public EntityRef ref() {
        return ref;
    }
}
