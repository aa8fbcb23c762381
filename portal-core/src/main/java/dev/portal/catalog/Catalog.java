package dev.portal.catalog;

import dev.portal.catalog.ingest.DescriptorParser;
import dev.portal.catalog.ingest.FileLocationReader;
import dev.portal.catalog.ingest.GitLocationReader;
import dev.portal.catalog.ingest.HttpLocationReader;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.ReadingAllowList;
import dev.portal.catalog.ingest.UrlLocationReader;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.orchestration.BeforeWrite;
import dev.portal.catalog.orchestration.LocationProcessor;
import dev.portal.catalog.orchestration.ProcessingListener;
import dev.portal.catalog.orchestration.ProcessingReport;
import dev.portal.catalog.orchestration.RefreshLoop;
import dev.portal.catalog.persistence.Claim;
import dev.portal.catalog.persistence.EntityHead;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.EntityStore;
import dev.portal.catalog.persistence.LocationStore;
import dev.portal.catalog.processing.EntityProcessor;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import org.jooq.DSLContext;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * The software catalog: register and remove locations, read entities, refresh. The entry point a
 * host application (or the Spring Boot starter) uses; every call is a use case with its own
 * transaction.
 */
public final class Catalog {

    private final DSLContext dsl;
    // One for the catalog's lifetime: it renders its fixed reads once, at construction.
    private final EntityQueries entities;
    private final CatalogSettings settings;
    private final LocationProcessor processor;
    private final ProcessingListener listener;
    /**
     * The refresh loops made by {@link #refreshLoop}, held weakly: a running loop is held by its own
     * threads, a closed one that nobody holds goes away.
     */
    private final Set<RefreshLoop> loops = Collections.newSetFromMap(new WeakHashMap<>());

    /**
     * @param dsl a context on the portal schema ({@code PortalSchema#dsl}), already migrated
     * @param entities the read side every reader of this catalog gets ({@link #entities()}), e.g.
     *     {@link EntityQueries#jooq} on the same schema, or a decorated one (timed, cached)
     * @param readers the location readers; {@link #defaultReaders} gives {@code file} and {@code url} (git)
     * @param listener told about every location this catalog processes, whatever triggered it
     */
    public Catalog(DSLContext dsl, CatalogSettings settings, EntityQueries entities, List<LocationReader> readers,
                   ProcessingListener listener) {
        this.dsl = dsl;
        this.entities = entities;
        this.settings = settings;
        this.processor = new LocationProcessor(readers, new DescriptorParser(settings.parserLimits()),
                new EntityProcessor(), settings);
        this.listener = listener;
    }

    /** A catalog with its own read side, these readers and this listener. */
    public Catalog(DSLContext dsl, CatalogSettings settings, List<LocationReader> readers,
                   ProcessingListener listener) {
        this(dsl, settings, EntityQueries.jooq(dsl, settings.queryLimits()), readers, listener);
    }

    /** A catalog with these readers and no processing listener. */
    public Catalog(DSLContext dsl, CatalogSettings settings, List<LocationReader> readers) {
        this(dsl, settings, readers, ProcessingListener.none());
    }

    /** A catalog with the {@code file} and {@code url} (git) readers. */
    public Catalog(DSLContext dsl, CatalogSettings settings) {
        this(dsl, settings, defaultReaders(settings));
    }

    /**
     * The built-in readers: {@code file} paths, and {@code url} targets in git repositories or, for
     * plain HTTP files, nowhere (no host is on the reading allow-list; see {@link UrlLocationReader}).
     */
    public static List<LocationReader> defaultReaders(CatalogSettings settings) {
        int maxBytes = settings.parserLimits().maxBytes();
        return List.of(new FileLocationReader(maxBytes), new UrlLocationReader(new GitLocationReader(maxBytes),
                new HttpLocationReader(maxBytes, Duration.ofSeconds(30), ReadingAllowList.nothing())));
    }

    public CatalogSettings settings() {
        return settings;
    }

    /** Whether a reader handles locations of this type. */
    public boolean supports(String locationType) {
        return processor.supports(locationType);
    }

    /**
     * Registers a location and processes it (and the locations nested in it) at once, so its
     * entities are queryable when this returns. Registering a location that exists already
     * processes it again and says so.
     *
     * @throws InvalidInputException if no reader handles the location type, or the target carries a password
     * @throws LocationNotAllowedException if {@code origin} is {@link Location.Origin#API} and the
     *     settings' API location policy refuses the location
     */
    public Registration register(LocationSpec spec, Location.Origin origin) {
        return register(spec, origin, BeforeWrite.NOTHING);
    }

    /**
     * {@link #register(LocationSpec, Location.Origin)}, with a last word before anything is stored:
     * {@code beforeWrite} hears what reading the registered location found (the kinds it holds, or
     * why it cannot be read) and may throw to refuse the registration. Then nothing is stored, and
     * a location that was not registered before is not left behind.
     */
    public Registration register(LocationSpec spec, Location.Origin origin, BeforeWrite beforeWrite) {
        checkReadable(spec);
        if (origin == Location.Origin.API) {
            checkAllowed(spec);
        }
        LocationStore store = LocationStore.jooq(dsl);
        boolean existed = store.find(spec).isPresent();
        // a configured location registered on its own (not through syncConfigured) is trusted
        Location location = origin == Location.Origin.CONFIG ? store.configure(spec, true) : store.add(spec, origin, null);
        try {
            return processTree(location, existed, beforeWrite);
        } catch (RuntimeException e) {
            if (!existed) {
                remove(location.id());
            }
            throw e;
        }
    }

    private Registration processTree(Location location, boolean existed) {
        return processTree(location, existed, BeforeWrite.NOTHING);
    }

    private Registration processTree(Location location, boolean existed, BeforeWrite beforeWrite) {
        List<ProcessingReport> reports = new ArrayList<>();
        Deque<UUID> pending = new ArrayDeque<>(List.of(location.id()));
        while (!pending.isEmpty() && reports.size() < settings.maxLocationsPerRegistration()) {
            UUID next = pending.removeFirst();
            processNow(next, next.equals(location.id()) ? beforeWrite : BeforeWrite.NOTHING).ifPresent(report -> {
                reports.add(report);
                report.newLocations().forEach(nested -> pending.addLast(nested.id()));
            });
        }
        if (!pending.isEmpty()) {
            // past the registration's limit: the rest are registered and due; the running loop reads
            // them now, not at its next poll
            wakeLoops();
        }
        return new Registration(location, existed, reports);
    }

    /**
     * Brings the configured locations in line with the application's configuration, as Backstage's
     * config location provider does: each of {@code configured} is registered (or turned into a
     * configured location, with its trust, if it was registered otherwise) and processed, and every
     * configured location no longer listed is removed, its entities becoming orphans. Call it at
     * start-up with the whole configuration.
     *
     * @return one registration per configured location, in order
     * @throws InvalidInputException if no reader handles a location's type
     */
    public List<Registration> syncConfigured(List<ConfiguredLocation> configured) {
        configured.forEach(location -> checkReadable(location.spec()));
        Set<LocationSpec> listed = new HashSet<>();
        configured.forEach(location -> listed.add(location.spec()));
        for (Location stale : locations()) {
            if (stale.origin() == Location.Origin.CONFIG && !listed.contains(stale.spec())) {
                remove(stale.id());
            }
        }
        List<Registration> registrations = new ArrayList<>();
        for (ConfiguredLocation location : configured) {
            boolean existed = LocationStore.jooq(dsl).find(location.spec()).isPresent();
            Location stored = LocationStore.jooq(dsl).configure(location.spec(), location.trusted());
            registrations.add(processTree(stored, existed));
        }
        return registrations;
    }

    /**
     * What {@link #register} did.
     *
     * @param existed whether the location was registered before this call
     * @param reports one per location processed: the registered one first, then nested ones
     */
    public record Registration(Location location, boolean existed, List<ProcessingReport> reports) {

        /** Every problem found in the registered location and the locations nested in it. */
        public List<ProcessingError> errors() {
            return reports.stream().flatMap(report -> report.errors().stream()).toList();
        }

        /** Every entity the registration stored. */
        public List<EntityRef> entities() {
            return reports.stream().flatMap(report -> report.stored().stream()).toList();
        }
    }

    /**
     * Reads and validates a location without storing anything. Previews serve users (dry runs),
     * so the API location policy applies.
     *
     * @throws LocationNotAllowedException if the API location policy refuses the location
     */
    public LocationProcessor.Preview preview(LocationSpec spec) {
        checkReadable(spec);
        checkAllowed(spec);
        return processor.preview(spec, Location.Origin.API);
    }

    /**
     * A dry run of registering {@code spec} with {@code origin}: the API location policy applies to
     * {@code API} origins only, as in {@link #register}.
     */
    public LocationProcessor.Preview preview(LocationSpec spec, Location.Origin origin) {
        checkReadable(spec);
        if (origin == Location.Origin.API) {
            checkAllowed(spec);
        }
        return processor.preview(spec, origin);
    }

    /** What every location must be before it is stored: of a type a reader handles, free of passwords. */
    private void checkReadable(LocationSpec spec) {
        if (!processor.supports(spec.type())) {
            throw new InvalidInputException("location type '" + spec.type() + "' is not supported");
        }
        if (spec.hasPassword()) {
            throw new InvalidInputException("location target '" + spec.redactedTarget() + "' carries a password in"
                    + " its URL; targets are stored and shown to everyone who may read locations, so credentials"
                    + " belong in the application's configuration, not in the URL");
        }
    }

    private void checkAllowed(LocationSpec spec) {
        settings.apiLocationPolicy().refusal(spec).ifPresent(reason -> {
            throw new LocationNotAllowedException(spec, reason);
        });
    }

    public Optional<Location> location(UUID id) {
        return LocationStore.jooq(dsl).find(id);
    }

    public Optional<Location> location(LocationSpec spec) {
        return LocationStore.jooq(dsl).find(spec);
    }

    public List<Location> locations() {
        return LocationStore.jooq(dsl).list();
    }

    /** The kinds of the entities a location and the locations nested in it provide (orphans included), lower-case. */
    public Set<String> kindsProvidedBy(UUID locationId) {
        LocationStore locations = LocationStore.jooq(dsl);
        EntityStore entities = EntityStore.jooq(dsl);
        Set<String> kinds = new java.util.TreeSet<>();
        for (UUID id : locations.withDescendants(locationId)) {
            entities.headsByLocation(id).forEach(head -> kinds.add(head.ref().kind().toLowerCase(java.util.Locale.ROOT)));
        }
        return kinds;
    }

    /** The location an entity was read from. */
    public Optional<Location> locationOf(EntityRef ref) {
        EntityHead head = EntityStore.jooq(dsl).heads(List.of(ref)).get(ref);
        return head == null || head.locationId() == null ? Optional.empty() : location(head.locationId());
    }

    /**
     * Removes a registered location and the locations nested in it, on a user's request. Their
     * entities become orphans (kept, marked, removable with {@link #deleteOrphans()}); another
     * registration cannot take their refs over while they exist.
     *
     * @return {@code false} if there was no such location
     * @throws NotAllowedException if the location comes from the application's configuration (it
     *     goes when the configuration no longer lists it), or is named by a Location entity (it goes
     *     when that entity no longer names it)
     */
    public boolean removeLocation(UUID id) {
        Optional<Location> location = location(id);
        if (location.isEmpty()) {
            return false;
        }
        switch (location.get().origin()) {
            case CONFIG -> throw new NotAllowedException("location " + location.get().spec() + " comes from the"
                    + " application's configuration and cannot be removed through the API; remove it from the"
                    + " configuration (portal.catalog.locations) instead");
            case ENTITY -> throw new NotAllowedException("location " + location.get().spec() + " is named by a"
                    + " Location entity of " + location(location.get().parentId()).map(parent -> parent.spec().ref())
                    .orElse("another location") + "; remove it from that entity's spec.targets instead");
            default -> {
                return remove(id);
            }
        }
    }

    private boolean remove(UUID id) {
        return dsl.transactionResult(cfg -> {
            LocationStore locations = LocationStore.jooq(cfg.dsl());
            EntityStore entities = EntityStore.jooq(cfg.dsl());
            if (locations.lock(id).isEmpty()) {
                return false;
            }
            List<UUID> orphans = locations.withDescendants(id).stream()
                    .flatMap(location -> entities.headsByLocation(location).stream())
                    .filter(head -> !head.orphan()).map(EntityHead::uid).toList();
            if (!orphans.isEmpty()) {
                entities.markOrphaned(orphans);
            }
            return locations.delete(id);
        });
    }

    /**
     * Re-reads the location an entity comes from, now.
     *
     * @return the processing report, or empty if the entity is unknown or has no location
     */
    public Optional<ProcessingReport> refresh(EntityRef ref) {
        Optional<ProcessingReport> report = locationOf(ref).flatMap(location -> processNow(location.id(), BeforeWrite.NOTHING));
        // Locations found nested in it are due now: the running loop reads them now, not at its next
        // poll (5 s by default), so a refreshed root's new files appear as fast as its old ones.
        if (report.isPresent() && !report.get().newLocations().isEmpty()) {
            wakeLoops();
        }
        return report;
    }

    /**
     * Deletes an entity. Like Backstage, its location is scheduled for a refresh: an entity still
     * present in its source comes back (with a new uid).
     */
    public boolean deleteEntity(UUID uid) {
        boolean deleted = dsl.transactionResult(cfg -> {
            EntityStore entities = EntityStore.jooq(cfg.dsl());
            Optional<UUID> location = EntityQueries.jooq(cfg.dsl()).byUid(uid).map(stored -> stored.locationId());
            boolean removed = entities.deleteByUid(uid);
            location.ifPresent(id -> LocationStore.jooq(cfg.dsl()).requestRefresh(id));
            return removed;
        });
        if (deleted) {
            wakeLoops();   // its location is due: an entity still in its source comes back now
        }
        return deleted;
    }

    /** Deletes every orphaned entity; returns how many. */
    public int deleteOrphans() {
        return dsl.transactionResult(cfg -> EntityStore.jooq(cfg.dsl()).deleteOrphans());
    }

    /** The problems found the last time the location was processed. */
    public List<ProcessingError> errors(UUID locationId) {
        return LocationStore.jooq(dsl).errors(locationId);
    }

    /** The problems found the last time each location was processed, for every location that had any. */
    public Map<UUID, List<ProcessingError>> errorsByLocation() {
        return LocationStore.jooq(dsl).errorsByLocation();
    }

    /** The problems recorded against an entity ref (from whichever location mentioned it). */
    public List<ProcessingError> errors(EntityRef ref) {
        return LocationStore.jooq(dsl).errorsForEntity(ref.canonical());
    }

    /** The outgoing relations of an entity whose target does not exist. */
    public List<Relation> danglingRelations(EntityRef ref) {
        return entities().danglingRelations(ref);
    }

    /** Reading entities: by ref, by uid, filtered queries, facets. */
    public EntityQueries entities() {
        return entities;
    }

    /** A refresh loop over this catalog's database with one worker; see {@link #refreshLoop(Duration, int)}. */
    public RefreshLoop refreshLoop(Duration pollInterval) {
        return refreshLoop(pollInterval, 1);
    }

    /**
     * A refresh loop over this catalog's database; call {@link RefreshLoop#start()} to run it in the
     * background.
     *
     * @param workers how many locations it reads at once: one slow source then holds up only one of them
     */
    public RefreshLoop refreshLoop(Duration pollInterval, int workers) {
        RefreshLoop loop = new RefreshLoop(dsl, processor, pollInterval, workers, listener);
        synchronized (loops) {
            loops.add(loop);
        }
        return loop;
    }

    /** Has this catalog's loops look for due locations now (a loop that is not running ignores it). */
    private void wakeLoops() {
        List<RefreshLoop> current;
        synchronized (loops) {
            current = List.copyOf(loops);
        }
        current.forEach(RefreshLoop::wake);
    }

    /** Claims the location now (overtaking any pass under way) and processes it. */
    private Optional<ProcessingReport> processNow(UUID locationId, BeforeWrite beforeWrite) {
        long start = System.nanoTime();
        Optional<Claim> claim = LocationStore.jooq(dsl).claim(locationId, settings.claimLease());
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<ProcessingReport> report = processor.process(dsl, claim.get(), beforeWrite);
            report.ifPresent(done -> listener.processed(done, Duration.ofNanos(System.nanoTime() - start)));
            return report;
        } catch (RuntimeException e) {
            listener.failed(claim.get().location(), e, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
    }
}
