package dev.portal.web;

/**
 * What a caller of the catalog API wants to do; the names follow Backstage's catalog permissions
 * ({@code catalog.entity.read}, {@code catalog.location.create}, ...).
 */
public enum CatalogPermission {

    /** Read entities: lists, queries, by ref/uid, facets, ancestry. */
    ENTITY_READ(false),
    /** Validate an entity document without storing it. */
    ENTITY_VALIDATE(false),
    /** Re-read the location an entity came from. */
    ENTITY_REFRESH(true),
    /** Delete an entity. */
    ENTITY_DELETE(true),
    /** Read registered locations. */
    LOCATION_READ(false),
    /** Register a location, or dry-run a registration (both make the server read it). */
    LOCATION_CREATE(true),
    /** Unregister a location. */
    LOCATION_DELETE(true),
    /** Analyze a location (makes the server read it). */
    LOCATION_ANALYZE(true);

    private final boolean write;

    CatalogPermission(boolean write) {
        this.write = write;
    }

    /** Whether the action changes the catalog or makes the server read a location. */
    public boolean isWrite() {
        return write;
    }
}
