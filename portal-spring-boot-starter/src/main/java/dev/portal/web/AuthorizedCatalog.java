package dev.portal.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.processing.EntityProcessor;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.catalog.refresh.LocationProcessor;
import dev.portal.catalog.refresh.ProcessingReport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link Catalog} as the REST API may use it: every call first asks the
 * {@link CatalogPermissionPolicy} whether the current caller (from the {@link PortalIdentityResolver})
 * may do it, then delegates. A refusal is {@code AuthenticationError} (401) for an anonymous caller
 * and {@code NotAllowedError} (403) for an authenticated one. Authorization lives here, once, not
 * in the controllers (Backstage's {@code AuthorizedCatalogService} is the model).
 */
public class AuthorizedCatalog {

    private final Catalog catalog;
    private final CatalogPermissionPolicy policy;
    private final PortalIdentityResolver identity;
    private final EntityProcessor processor = new EntityProcessor();

    public AuthorizedCatalog(Catalog catalog, CatalogPermissionPolicy policy, PortalIdentityResolver identity) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /** Reading entities (lists, queries, facets, by ref or uid). */
    public EntityQueries entities() {
        authorize(CatalogPermission.ENTITY_READ, null);
        return catalog.entities();
    }

    public Optional<Location> location(UUID id) {
        authorize(CatalogPermission.LOCATION_READ, id.toString());
        return catalog.location(id);
    }

    public Optional<Location> location(LocationSpec spec) {
        authorize(CatalogPermission.LOCATION_READ, spec.ref());
        return catalog.location(spec);
    }

    public List<Location> locations() {
        authorize(CatalogPermission.LOCATION_READ, null);
        return catalog.locations();
    }

    /**
     * Registers a location on behalf of the caller ({@link Location.Origin#API}, fenced by the API
     * location policy). Checks run in the order that reveals least: permission, fence, then whether
     * the location exists.
     *
     * @param refreshIfRegistered whether an already registered location is read again instead of
     *     refused with a {@code ConflictError}
     */
    public Catalog.Registration register(LocationSpec spec, boolean refreshIfRegistered) {
        authorize(CatalogPermission.LOCATION_CREATE, spec.ref());
        catalog.settings().apiLocationPolicy().refusal(spec).ifPresent(reason -> {
            throw new LocationNotAllowedException(spec, reason);
        });
        if (!refreshIfRegistered && catalog.location(spec).isPresent()) {
            throw CatalogApiException.conflict("Location " + spec.ref() + " already exists");
        }
        return catalog.register(spec, Location.Origin.API);
    }

    /** A dry run of {@link #register}: reads and validates, stores nothing. */
    public LocationProcessor.Preview preview(LocationSpec spec) {
        authorize(CatalogPermission.LOCATION_CREATE, spec.ref());
        return catalog.preview(spec);
    }

    /** Reads a location to tell what it holds, storing nothing. */
    public LocationProcessor.Preview analyze(LocationSpec spec) {
        authorize(CatalogPermission.LOCATION_ANALYZE, spec.ref());
        return catalog.preview(spec);
    }

    public boolean removeLocation(UUID id) {
        authorize(CatalogPermission.LOCATION_DELETE, id.toString());
        return catalog.removeLocation(id);
    }

    public Optional<ProcessingReport> refresh(EntityRef ref) {
        authorize(CatalogPermission.ENTITY_REFRESH, ref.canonical());
        return catalog.refresh(ref);
    }

    /**
     * The problems recorded against an entity the last time a location mentioned it (the entity
     * page shows them as warnings); reading them is reading the entity.
     */
    public List<ProcessingError> processingErrors(EntityRef ref) {
        authorize(CatalogPermission.ENTITY_READ, ref.canonical());
        return catalog.errors(ref);
    }

    /**
     * Whether the current caller may do {@code permission} on {@code resource}, for showing only
     * the actions a caller may take. Asking changes nothing: each action checks again when it is
     * called.
     */
    public boolean isAllowed(CatalogPermission permission, String resource) {
        return policy.isAllowed(identity.currentCaller(), permission, resource);
    }

    /**
     * Refuses, as the actions do, a caller who may not do {@code permission}: for pages that only
     * lead to an action (a form) and should be refused as the action would be.
     */
    public void checkAllowed(CatalogPermission permission, String resource) {
        authorize(permission, resource);
    }

    public boolean deleteEntity(UUID uid) {
        authorize(CatalogPermission.ENTITY_DELETE, uid.toString());
        return catalog.deleteEntity(uid);
    }

    /** Validates an entity document as ingestion would, without storing it. */
    public ProcessedEntity validate(ObjectNode entity, String subject) {
        authorize(CatalogPermission.ENTITY_VALIDATE, subject);
        return processor.process(entity, subject);
    }

    private void authorize(CatalogPermission permission, String resource) {
        PortalCaller caller = identity.currentCaller();
        if (policy.isAllowed(caller, permission, resource)) {
            return;
        }
        String what = permission.name().toLowerCase(java.util.Locale.ROOT).replace('_', '.')
                + (resource == null ? "" : " on " + resource);
        throw caller.isAuthenticated()
                ? new CatalogApiException(CatalogApiException.Kind.NOT_ALLOWED, caller + " may not " + what)
                : new CatalogApiException(CatalogApiException.Kind.AUTHENTICATION,
                        "authentication is required for " + what);
    }
}
