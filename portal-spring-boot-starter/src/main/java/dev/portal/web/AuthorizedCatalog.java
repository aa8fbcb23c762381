package dev.portal.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.orchestration.BeforeWrite;
import dev.portal.catalog.orchestration.LocationProcessor;
import dev.portal.catalog.orchestration.ProcessingReport;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.processing.EntityProcessor;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.catalog.query.QueryLimits;
import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.ConflictException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The {@link Catalog} as the REST API and the web pages may use it: every call first asks the
 * {@link CatalogPermissionPolicy} whether the current caller (from the {@link PortalIdentityResolver})
 * may do it, with what it concerns ({@link CatalogResource}: ref, origin, kinds), then delegates. A
 * refusal is {@link AuthenticationRequiredException} (401) for an anonymous caller and
 * {@link NotAllowedException} (403) for an authenticated one. Authorization lives here, once, not
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
        authorize(CatalogPermission.ENTITY_READ, CatalogResource.NONE);
        return catalog.entities();
    }

    public Optional<Location> location(UUID id) {
        authorize(CatalogPermission.LOCATION_READ, CatalogResource.of(id.toString()));
        return catalog.location(id);
    }

    public Optional<Location> location(LocationSpec spec) {
        authorize(CatalogPermission.LOCATION_READ, CatalogResource.of(spec.ref()));
        return catalog.location(spec);
    }

    public List<Location> locations() {
        authorize(CatalogPermission.LOCATION_READ, CatalogResource.NONE);
        return catalog.locations();
    }

    /** What went wrong the last time a location was read (its {@code status}), read like the location. */
    public List<ProcessingError> locationErrors(UUID id) {
        authorize(CatalogPermission.LOCATION_READ, CatalogResource.of(id.toString()));
        return catalog.errors(id);
    }

    /** {@link #locationErrors} of every location that has any. */
    public Map<UUID, List<ProcessingError>> locationErrors() {
        authorize(CatalogPermission.LOCATION_READ, CatalogResource.NONE);
        return catalog.errorsByLocation();
    }

    /**
     * Registers a location on behalf of the caller ({@link Location.Origin#API}, fenced by the API
     * location policy). Checks run in the order that reveals least: permission, fence, whether the
     * location exists; then the location is read once and the policy asked again with the kinds it
     * would provide, before anything is stored. A source that cannot be read at all (missing,
     * unreachable, not a regular file) is refused with its reason, and nothing is stored.
     *
     * @param refreshIfRegistered whether an already registered location is read again instead of
     *     refused with a {@code ConflictError}
     */
    public Catalog.Registration register(LocationSpec spec, boolean refreshIfRegistered) {
        CatalogResource registration = new CatalogResource(spec.ref(), Location.Origin.API, Set.of());
        authorize(CatalogPermission.LOCATION_CREATE, registration);
        fence(spec);
        if (!refreshIfRegistered && catalog.location(spec).isPresent()) {
            throw new ConflictException("Location " + spec.ref() + " already exists");
        }
        return catalog.register(spec, Location.Origin.API, new BeforeWrite() {
            @Override
            public void read(Set<String> kinds) {
                authorize(CatalogPermission.LOCATION_CREATE, new CatalogResource(registration.ref(), registration.origin(), kinds));
            }

            /** A location whose source cannot be read at all is the caller's to fix, not one to store. */
            @Override
            public void unreadable(String problem) {
                throw new InvalidInputException(problem);
            }
        });
    }

    /** A dry run of {@link #register}: reads and validates, stores nothing. */
    public LocationProcessor.Preview preview(LocationSpec spec) {
        CatalogResource registration = new CatalogResource(spec.ref(), Location.Origin.API, Set.of());
        authorize(CatalogPermission.LOCATION_CREATE, registration);
        LocationProcessor.Preview preview = catalog.preview(spec);
        authorize(CatalogPermission.LOCATION_CREATE, withKinds(registration, preview));
        return preview;
    }

    /**
     * Refuses a location the caller may not analyze, or that lies outside the API's fences, before
     * anything about it is looked up on this server (whether it is a folder, say).
     */
    public void checkAnalyzable(LocationSpec spec) {
        authorize(CatalogPermission.LOCATION_ANALYZE, new CatalogResource(spec.ref(), Location.Origin.API, Set.of()));
        fence(spec);
    }

    /** Reads a location to tell what it holds, storing nothing. */
    public LocationProcessor.Preview analyze(LocationSpec spec) {
        CatalogResource analysis = new CatalogResource(spec.ref(), Location.Origin.API, Set.of());
        authorize(CatalogPermission.LOCATION_ANALYZE, analysis);
        LocationProcessor.Preview preview = catalog.preview(spec);
        authorize(CatalogPermission.LOCATION_ANALYZE, withKinds(analysis, preview));
        return preview;
    }

    /**
     * Removes a registered location. The policy sees its origin and the kinds of the entities it
     * provides; the catalog itself refuses configured and nested locations.
     */
    public boolean removeLocation(UUID id) {
        Optional<Location> location = catalog.location(id);
        authorize(CatalogPermission.LOCATION_DELETE, location
                .map(found -> new CatalogResource(found.spec().ref(), found.origin(), catalog.kindsProvidedBy(id)))
                .orElse(CatalogResource.of(id.toString())));
        return location.isPresent() && catalog.removeLocation(id);
    }

    public Optional<ProcessingReport> refresh(EntityRef ref) {
        authorize(CatalogPermission.ENTITY_REFRESH, entityResource(ref.canonical(), ref));
        return catalog.refresh(ref);
    }

    /**
     * The problems recorded against an entity the last time a location mentioned it (the entity
     * page shows them as warnings); reading them is reading the entity.
     */
    public List<ProcessingError> processingErrors(EntityRef ref) {
        authorize(CatalogPermission.ENTITY_READ, CatalogResource.of(ref.canonical()));
        return catalog.errors(ref);
    }

    /**
     * Whether the current caller may do {@code permission} on {@code resource}, for showing only
     * the actions a caller may take. Asking changes nothing: each action checks again when it is
     * called.
     */
    public boolean isAllowed(CatalogPermission permission, CatalogResource resource) {
        return policy.isAllowed(identity.currentCaller(), permission, resource);
    }

    /**
     * Refuses, as the actions do, a caller who may not do {@code permission}: for pages that only
     * lead to an action (a form) and should be refused as the action would be.
     */
    public void checkAllowed(CatalogPermission permission, CatalogResource resource) {
        authorize(permission, resource);
    }

    public boolean deleteEntity(UUID uid) {
        Optional<StoredEntity> entity = catalog.entities().byUid(uid);
        authorize(CatalogPermission.ENTITY_DELETE, entityResource(uid.toString(),
                entity.map(StoredEntity::ref).orElse(null)));
        return entity.isPresent() && catalog.deleteEntity(uid);
    }

    /** Validates an entity document as ingestion would, without storing it. */
    public ProcessedEntity validate(ObjectNode entity, String subject) {
        authorize(CatalogPermission.ENTITY_VALIDATE, CatalogResource.of(subject));
        return processor.process(entity, subject);
    }

    /** How much one read may ask of the database; the controllers check what the queries do not see. */
    public QueryLimits queryLimits() {
        return catalog.settings().queryLimits();
    }

    private void fence(LocationSpec spec) {
        catalog.settings().apiLocationPolicy().refusal(spec).ifPresent(reason -> {
            throw new LocationNotAllowedException(spec, reason);
        });
    }

    private CatalogResource entityResource(String name, EntityRef ref) {
        if (ref == null) {
            return CatalogResource.of(name);
        }
        Location.Origin origin = catalog.locationOf(ref).map(Location::origin).orElse(null);
        return new CatalogResource(name, origin, Set.of(ref.kind()));
    }

    private static CatalogResource withKinds(CatalogResource resource, LocationProcessor.Preview preview) {
        Set<String> kinds = preview.entities().stream().filter(ProcessedEntity::valid)
                .map(processed -> processed.entity().kind().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return new CatalogResource(resource.ref(), resource.origin(), kinds);
    }

    private void authorize(CatalogPermission permission, CatalogResource resource) {
        PortalCaller caller = identity.currentCaller();
        if (policy.isAllowed(caller, permission, resource)) {
            return;
        }
        String what = permission.name().toLowerCase(Locale.ROOT).replace('_', '.')
                + (resource.ref() == null ? "" : " on " + resource.ref());
        throw caller.isAuthenticated() ? new NotAllowedException(caller + " may not " + what)
                : new AuthenticationRequiredException("authentication is required for " + what);
    }
}
