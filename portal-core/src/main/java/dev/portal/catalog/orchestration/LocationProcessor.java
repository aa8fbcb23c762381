package dev.portal.catalog.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ingest.ClasspathLocationReader;
import dev.portal.catalog.ingest.DescriptorException;
import dev.portal.catalog.ingest.DescriptorParser;
import dev.portal.catalog.ingest.LocationReadException;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.ParsedDocument;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.ingest.SourceSnapshot;
import dev.portal.catalog.ingest.Substitutions;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.Claim;
import dev.portal.catalog.persistence.EntityHead;
import dev.portal.catalog.persistence.EntityStore;
import dev.portal.catalog.persistence.EntityWrite;
import dev.portal.catalog.persistence.LocationStore;
import dev.portal.catalog.persistence.WriteResult;
import dev.portal.catalog.processing.EntityProcessor;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.error.InvalidInputException;
import org.jooq.DSLContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Brings the catalog in line with one location: read its source, parse and validate every
 * document, store the valid entities with their relations, mark entities the location stopped
 * emitting as orphans, follow Location entities to nested locations, and record every problem
 * against the location.
 *
 * <p>A pass works on a {@link Claim} and in two steps, as Backstage's processing engine does: it
 * reads, parses, validates and derives relations with no transaction and no connection held (a git
 * host may take its whole timeout meanwhile, and the catalog's readers are not kept waiting), then
 * writes everything in one short transaction that first checks the claim is still its own. A pass
 * that outlived its lease, or that a refresh somebody asked for overtook, writes nothing.
 *
 * <p>Bad input never destroys good data: an unreadable source or a rejected file keeps the
 * entities stored before; an invalid entity keeps its previous valid version; a ref another
 * location already provides stays with that first location.
 */
public final class LocationProcessor {

    /** The kinds that define people and teams, and so who may approve what: accepted only from trusted registrations. */
    public static final Set<String> ORGANIZATION_KINDS = Set.of("user", "group");

    private final Map<String, LocationReader> readers;
    private final DescriptorParser parser;
    private final EntityProcessor processor;
    private final CatalogSettings settings;

    public LocationProcessor(List<LocationReader> readers, DescriptorParser parser, EntityProcessor processor,
                             CatalogSettings settings) {
        this.readers = new LinkedHashMap<>();
        readers.forEach(reader -> this.readers.put(reader.type(), reader));
        this.parser = parser;
        this.processor = processor;
        this.settings = settings;
    }

    public CatalogSettings settings() {
        return settings;
    }

    /** Whether a reader handles this location type. */
    public boolean supports(String type) {
        return readers.containsKey(type);
    }

    /** The reader for a location type. */
    public Optional<LocationReader> reader(String type) {
        return Optional.ofNullable(readers.get(type));
    }

    /**
     * Processes a claimed location: reads it with no transaction open, then writes the result in one
     * transaction on {@code dsl}.
     *
     * @param beforeWrite told what the read found before anything is written; it may throw to
     *     abandon the pass, which then writes nothing and leaves the claim to run out
     * @return the report, or empty when the claim was no longer this pass's by the time it wrote
     */
    public Optional<ProcessingReport> process(DSLContext dsl, Claim claim, BeforeWrite beforeWrite) {
        Pass pass = new Pass(dsl, claim);
        pass.read(beforeWrite);
        return dsl.transactionResult(cfg -> pass.write(cfg.dsl()));
    }

    /**
     * Reads and validates a location without storing anything (dry run), with the problems a
     * registration would record.
     *
     * @param origin how the location would be registered: unless from configuration (trusted with
     *     people and teams), User and Group entities are problems, as they are when registering
     */
    public Preview preview(LocationSpec spec, Location.Origin origin) {
        LocationReader reader = readers.get(spec.type());
        if (reader == null) {
            throw new LocationReadException(spec, unsupportedType(spec.type()));
        }
        List<ProcessedEntity> entities = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (SourceSnapshot source = reader.open(spec, null)) {
            SourceContent content = source.content();
            SubstitutionReads reads = new SubstitutionReads(spec, source, origin == Location.Origin.API);
            Substitutions substitutions = new Substitutions(settings.parserLimits(), spec.target(),
                    content.content().length, reads);
            for (ParsedDocument document : parser.parse(spec.target(), content.content())) {
                switch (document) {
                    case ParsedDocument.Failed failed -> problems.add(failed.message());
                    case ParsedDocument.Parsed parsed -> {
                        try {
                            substitutions.apply(parsed.json(), parsed.subject());
                        } catch (InvalidInputException e) {
                            problems.add(e.getMessage());
                            continue;
                        }
                        ProcessedEntity processed = processor.process(parsed.json(), describe(spec, parsed.index()));
                        entities.add(processed);
                        processed.problems().forEach(problem -> problems.add(problem.describe()));
                        if (processed.valid() && origin != Location.Origin.CONFIG && isOrganization(processed.entity().ref())) {
                            problems.add(untrustedOrganization(processed.entity(), spec + ", registered " + registeredHow(origin)));
                        }
                    }
                }
            }
        }
        return new Preview(spec, entities, problems);
    }

    /**
     * The outcome of a dry run.
     *
     * @param entities every document that parsed, processed (valid or not)
     * @param problems every problem, one line each
     */
    public record Preview(LocationSpec location, List<ProcessedEntity> entities, List<String> problems) {
    }

    private static String describe(LocationSpec spec, int documentIndex) {
        return spec.target() + ", document " + documentIndex;
    }

    private String unsupportedType(String type) {
        return "no reader for location type '" + type + "' (supported: " + String.join(", ", readers.keySet()) + ")";
    }

    /** One processing pass; holds the state gathered along the way. */
    private final class Pass {

        private final DSLContext dsl;
        private final Claim claim;
        private final Location location;
        private final List<ProcessingError> errors = new ArrayList<>();
        private final Map<EntityRef, ProcessedEntity> candidates = new LinkedHashMap<>();
        /** Refs this pass saw but rejected: their previously stored versions are kept, not orphaned. */
        private final Set<EntityRef> kept = new HashSet<>();
        private final Map<EntityRef, Integer> documentOf = new LinkedHashMap<>();
        /** The locations this location's Location entities name, fenced and resolved. */
        private final Set<LocationSpec> wanted = new LinkedHashSet<>();
        private Location root;
        // What the read found: exactly one of these is set once read() returns.
        private String readFailure;
        private String unchangedVersion;
        private SourceContent content;
        /** Whether every document parsed: one that did not may hold entities we cannot name, so nothing is orphaned. */
        private boolean complete = true;
        private LocationStore locations;
        private EntityStore entities;

        Pass(DSLContext dsl, Claim claim) {
            this.dsl = dsl;
            this.claim = claim;
            this.location = claim.location();
        }

        /** Reads, parses and validates; no transaction is open and no connection is held while the source is read. */
        void read(BeforeWrite beforeWrite) {
            root = findRoot();
            LocationReader reader = readers.get(location.type());
            if (reader == null) {
                readFailure = unsupportedType(location.type());
                return;
            }
            // The fence again, right before the read: a symbolic link can appear under an allowed
            // root after the location was registered.
            Optional<String> refusal = root.origin() == Location.Origin.API
                    ? settings.apiLocationPolicy().refusal(location.spec()) : Optional.empty();
            if (refusal.isPresent()) {
                readFailure = location.spec() + " may not be read: " + refusal.get();
                return;
            }
            String known = claim.cleanSourceVersion();
            // A version that covers files read from elsewhere cannot be checked by the reader alone:
            // read everything again and compare the whole version afterwards.
            boolean knownCoversOthers = known != null && known.startsWith(SUBSTITUTED);
            try (SourceSnapshot source = reader.open(location.spec(), knownCoversOthers ? null : known)) {
                SourceContent read = source.content();
                if (read.isUnchanged()) {
                    unchangedVersion = read.version();
                    return;
                }
                List<ParsedDocument> documents = parser.parse(location.target(), read.content());
                SubstitutionReads reads = new SubstitutionReads(location.spec(), source,
                        root.origin() == Location.Origin.API);
                Substitutions substitutions = new Substitutions(settings.parserLimits(), location.target(),
                        read.content().length, reads);
                for (ParsedDocument document : documents) {
                    switch (document) {
                        case ParsedDocument.Failed failed -> {
                            complete = false;
                            error(null, failed.index(), failed.message());
                        }
                        case ParsedDocument.Parsed parsed -> {
                            if (substituted(substitutions, parsed)) {
                                accept(parsed);
                            }
                        }
                    }
                }
                String version = reads.readElsewhere()
                        ? SUBSTITUTED + sha256(read.version() + "\n" + substitutions.contentHash()) : read.version();
                if (version.equals(known) && errors.isEmpty()) {
                    unchangedVersion = version;
                    return;
                }
                content = new SourceContent(version, read.content());
                beforeWrite.read(candidates.keySet().stream().map(ref -> ref.kind().toLowerCase(Locale.ROOT))
                        .collect(java.util.stream.Collectors.toSet()));
                if (complete) {
                    candidates.values().stream().map(ProcessedEntity::entity)
                            .filter(e -> e.kind().equalsIgnoreCase("Location"))
                            .forEach(entity -> nestedTargets(entity, source, wanted));
                }
            } catch (LocationReadException | DescriptorException e) {
                readFailure = e.getMessage();
                beforeWrite.unreadable(readFailure);
            }
        }

        /** Replaces the document's placeholders; a failure is the entity's problem, and its stored version is kept. */
        private boolean substituted(Substitutions substitutions, ParsedDocument.Parsed parsed) {
            try {
                substitutions.apply(parsed.json(), parsed.subject());
                return true;
            } catch (InvalidInputException e) {
                Optional<EntityRef> ref = refOf(parsed.json());
                ref.ifPresent(kept::add);
                error(ref.map(EntityRef::canonical).orElse(null), parsed.index(), e.getMessage());
                return false;
            }
        }

        /** Writes what {@link #read} found, if the claim is still this pass's. */
        Optional<ProcessingReport> write(DSLContext tx) {
            locations = LocationStore.jooq(tx);
            entities = EntityStore.jooq(tx);
            if (!locations.holds(location.id(), claim.token())) {
                return Optional.empty();
            }
            if (readFailure != null) {
                return Optional.of(failed(readFailure));
            }
            if (unchangedVersion != null) {
                locations.recordRefresh(location.id(), settings.refreshInterval(), null, unchangedVersion);
                return Optional.of(new ProcessingReport(location, true, List.of(), 0, 0, 0, List.of(), List.of()));
            }
            Map<EntityRef, EntityHead> heads = entities.heads(candidates.keySet());
            dropConflicts(heads);
            if (settings.strictReferences()) {
                dropDanglingReferences();
            }
            List<WriteResult> written = entities.upsert(writes(heads));
            int orphaned = 0;
            List<Location> discovered = List.of();
            if (complete) {
                orphaned = orphanVanished();
                discovered = syncNestedLocations();
            }
            locations.replaceErrors(location.id(), errors);
            locations.recordRefresh(location.id(), settings.refreshInterval(),
                    errors.isEmpty() ? null : summary(), content.version());
            return Optional.of(new ProcessingReport(location, false, written.stream().map(WriteResult::ref).toList(),
                    count(written, WriteResult.Outcome.CREATED), count(written, WriteResult.Outcome.UPDATED),
                    orphaned, errors, discovered));
        }

        private void accept(ParsedDocument.Parsed parsed) {
            ProcessedEntity processed = processor.process(parsed.json(), describe(location.spec(), parsed.index()));
            Optional<EntityRef> ref = refOf(parsed.json());
            if (!processed.valid()) {
                ref.ifPresent(kept::add);
                processed.problems().forEach(problem ->
                        error(ref.map(EntityRef::canonical).orElse(null), parsed.index(), problem.describe()));
                return;
            }
            EntityRef entityRef = processed.entity().ref();
            if (isOrganization(entityRef) && !root().trusted()) {
                // not kept: a version stored before this rule existed becomes an orphan, which confers nothing
                error(entityRef.canonical(), parsed.index(), untrustedOrganization(processed.entity(), root().spec()
                        + (root().origin() == Location.Origin.CONFIG ? ", which is configured with trusted: false"
                        : ", registered " + registeredHow(root().origin()))));
                return;
            }
            Integer earlier = documentOf.putIfAbsent(entityRef, parsed.index());
            if (earlier != null) {
                error(entityRef.canonical(), parsed.index(), entityRef + ": defined twice in " + location.spec()
                        + " (documents " + earlier + " and " + parsed.index() + "); the first one is kept");
                return;
            }
            candidates.put(entityRef, processed);
        }

        /**
         * A ref belongs to the location that provides it and, once orphaned, still to the registration
         * that provided it (its location key): another registration never takes it over, so nobody
         * replaces somebody else's entity by removing its location or waiting for it to vanish. Within
         * one registration an orphan may move to another of its files.
         */
        private void dropConflicts(Map<EntityRef, EntityHead> heads) {
            String key = root().spec().ref();
            for (var it = candidates.entrySet().iterator(); it.hasNext(); ) {
                var candidate = it.next();
                EntityHead head = heads.get(candidate.getKey());
                if (head == null || location.id().equals(head.locationId())) {
                    continue;
                }
                String owner;
                if (head.locationId() != null && !head.orphan()) {
                    owner = "location " + locations.find(head.locationId()).map(l -> l.spec().ref())
                            .orElse(head.locationId().toString());
                } else if (head.locationKey() != null && !head.locationKey().equals(key)) {
                    owner = "the registration " + head.locationKey() + " (it is an orphan there now; delete the"
                            + " orphaned entity to free its ref)";
                } else {
                    continue;
                }
                error(candidate.getKey().canonical(), documentOf.get(candidate.getKey()), candidate.getKey()
                        + ": already provided by " + owner + "; it keeps the entity and " + location.spec()
                        + " is ignored for this entity");
                it.remove();
            }
        }



        /** Strict mode: drop entities whose refs point nowhere, until what is left refers only to what exists. */
        private void dropDanglingReferences() {
            boolean dropped = true;
            while (dropped) {
                dropped = false;
                Set<EntityRef> targets = new LinkedHashSet<>();
                candidates.forEach((ref, processed) -> outgoing(ref, processed).forEach(r -> targets.add(r.target())));
                targets.removeAll(candidates.keySet());
                Set<EntityRef> existing = entities.heads(targets).keySet();
                for (var it = candidates.entrySet().iterator(); it.hasNext(); ) {
                    var candidate = it.next();
                    List<String> missing = outgoing(candidate.getKey(), candidate.getValue()).stream()
                            .filter(r -> !candidates.containsKey(r.target()) && !existing.contains(r.target()))
                            .map(r -> r.type() + " " + r.target())
                            .distinct().toList();
                    if (!missing.isEmpty()) {
                        error(candidate.getKey().canonical(), documentOf.get(candidate.getKey()), candidate.getKey()
                                + ": refers to entities that do not exist (" + String.join(", ", missing)
                                + "); rejected because portal.catalog.strict-references is on");
                        kept.add(candidate.getKey());
                        it.remove();
                        dropped = true;
                    }
                }
            }
        }

        private List<EntityWrite> writes(Map<EntityRef, EntityHead> heads) {
            String origin = root().spec().ref();
            List<EntityWrite> writes = new ArrayList<>(candidates.size());
            candidates.forEach((ref, processed) -> {
                Entity annotated = processed.entity().with(json -> {
                    ObjectNode metadata = (ObjectNode) json.get("metadata");
                    ObjectNode annotations = metadata.get("annotations") instanceof ObjectNode existing
                            ? existing : metadata.putObject("annotations");
                    annotations.put(Entity.MANAGED_BY_LOCATION, location.spec().ref());
                    annotations.put(Entity.MANAGED_BY_ORIGIN_LOCATION, origin);
                });
                EntityHead head = heads.get(ref);
                writes.add(new EntityWrite(annotated, processed.relations(), location.id(),
                        head == null ? null : head.etag()));
            });
            return writes;
        }

        private int orphanVanished() {
            List<UUID> vanished = entities.headsByLocation(location.id()).stream()
                    .filter(head -> !head.orphan() && !candidates.containsKey(head.ref()) && !kept.contains(head.ref()))
                    .map(EntityHead::uid)
                    .toList();
            return vanished.isEmpty() ? 0 : entities.markOrphaned(vanished);
        }

        private List<Location> syncNestedLocations() {
            List<Location> discovered = new ArrayList<>();
            Set<LocationSpec> present = new HashSet<>();
            for (Location child : locations.children(location.id())) {
                if (wanted.contains(child.spec())) {
                    present.add(child.spec());
                } else {
                    List<UUID> subtree = locations.withDescendants(child.id());
                    List<UUID> orphans = subtree.stream().flatMap(id -> entities.headsByLocation(id).stream())
                            .filter(head -> !head.orphan()).map(EntityHead::uid).toList();
                    if (!orphans.isEmpty()) {
                        entities.markOrphaned(orphans);
                    }
                    locations.delete(child.id());
                }
            }
            int room = -1;
            for (LocationSpec spec : wanted) {
                if (present.contains(spec) || spec.equals(location.spec())) {
                    continue;
                }
                if (room < 0) {
                    room = settings.maxLocationsPerTree() - locations.withDescendants(root().id()).size();
                }
                if (room <= 0) {
                    error(null, null, location.spec() + " names more locations than its registration " + root().spec()
                            + " may have; " + spec + " and the others past the limit are not read (at most "
                            + settings.maxLocationsPerTree() + " locations per registration, nested ones included)");
                    break;
                }
                boolean isNew = locations.find(spec).isEmpty();
                Location child = locations.add(spec, Location.Origin.ENTITY, location.id());
                if (isNew) {
                    discovered.add(child);
                    room--;
                }
            }
            return discovered;
        }

        private void nestedTargets(Entity entity, SourceSnapshot source, Set<LocationSpec> into) {
            JsonNode spec = entity.spec();
            String type = spec.path("type").isTextual() ? spec.path("type").asText() : location.type();
            List<String> targets = new ArrayList<>();
            if (spec.path("target").isTextual()) {
                targets.add(spec.path("target").asText());
            }
            spec.path("targets").forEach(target -> {
                if (target.isTextual()) {
                    targets.add(target.asText());
                }
            });
            for (String target : targets) {
                if (into.size() >= settings.maxNestedLocations()) {
                    error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.targets name"
                            + " more than " + settings.maxNestedLocations() + " locations, the most one location's"
                            + " Location entities may name together; '" + target + "' and the rest are not read");
                    return;
                }
                if (ClasspathLocationReader.TYPE.equals(type) && !ClasspathLocationReader.TYPE.equals(location.type())) {
                    error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.target '"
                            + target + "' is on the class path, but a location read from " + location.type()
                            + " may not point into the application's class path");
                    continue;
                }
                if (LocationSpec.FILE.equals(type) && !LocationSpec.FILE.equals(location.type())) {
                    error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.target '"
                            + target + "' is a file, but a location read from " + location.type()
                            + " may not point at files on this server");
                    continue;
                }
                if (!type.equals(location.type()) && readers.containsKey(type) && readers.get(type).configurationOnly()) {
                    error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.target '"
                            + target + "' is of type " + type + ", which only the application's configuration may name");
                    continue;
                }
                try {
                    LocationSpec resolved = type.equals(location.type()) ? source.resolve(target)
                            : new LocationSpec(type, target);
                    if (resolved.hasPassword()) {
                        error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.target '"
                                + resolved.redactedTarget() + "' carries a password in its URL; credentials belong"
                                + " in the application's configuration, not in a descriptor");
                        continue;
                    }
                    Optional<String> refusal = root().origin() == Location.Origin.API
                            ? settings.apiLocationPolicy().refusal(resolved) : Optional.empty();
                    if (refusal.isPresent()) {
                        error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.target '"
                                + target + "' may not be read: " + refusal.get());
                        continue;
                    }
                    into.add(resolved);
                } catch (LocationReadException e) {
                    error(entity.ref().canonical(), documentOf.get(entity.ref()), entity.ref() + ": spec.target "
                            + e.getMessage());
                }
            }
        }

        /** The location that was registered and led here (this one, or the first of its ancestors). */
        private Location root() {
            return root;
        }

        private Location findRoot() {
            LocationStore store = LocationStore.jooq(dsl);
            Location current = location;
            Set<UUID> seen = new HashSet<>();
            while (current.parentId() != null && seen.add(current.id())) {
                Optional<Location> parent = store.find(current.parentId());
                if (parent.isEmpty()) {
                    break;
                }
                current = parent.get();
            }
            return current;
        }

        private ProcessingReport failed(String message) {
            error(null, null, message);
            locations.replaceErrors(location.id(), errors);
            locations.recordRefresh(location.id(), settings.refreshInterval(), message, null);
            return new ProcessingReport(location, false, List.of(), 0, 0, 0, errors, List.of());
        }

        private void error(String entityRef, Integer documentIndex, String message) {
            errors.add(new ProcessingError(location.id(), entityRef, documentIndex, message, null));
        }

        private String summary() {
            return errors.size() == 1 ? errors.getFirst().message()
                    : errors.size() + " problems, first: " + errors.getFirst().message();
        }
    }

    /**
     * Reads the targets of one source's substitutions under the rules of nested locations: relative
     * targets resolve against the descriptor (a sibling blob of the commit a git location fetched); a
     * location that is not a file may not make the server read its files; the class path and
     * configuration-only types stay the application's; a password in a URL is refused; and what a
     * registration through the API leads to passes the API's fences.
     */
    private final class SubstitutionReads implements Substitutions.Source {

        private final LocationSpec location;
        private final SourceSnapshot source;
        private final boolean fenced;
        private boolean readElsewhere;

        SubstitutionReads(LocationSpec location, SourceSnapshot source, boolean fenced) {
            this.location = location;
            this.source = source;
            this.fenced = fenced;
        }

        /** Whether a substitution read something the source's own version does not cover. */
        boolean readElsewhere() {
            return readElsewhere;
        }

        @Override
        public byte[] read(String target) {
            LocationSpec spec = spec(target);
            Optional<byte[]> held = source.readHeld(spec);
            if (held.isPresent()) {
                return held.get();
            }
            LocationReader reader = readers.get(spec.type());
            if (reader == null) {
                throw new InvalidInputException("substitution target '" + target + "': " + unsupportedType(spec.type()));
            }
            readElsewhere = true;
            SourceContent content = reader.read(spec, null);
            return content.content();
        }

        private LocationSpec spec(String target) {
            // A URL is read as a url location; anything else resolves like a nested target of the location's type.
            boolean url = target.contains("://") && !target.regionMatches(true, 0, "file:", 0, 5);
            LocationSpec spec;
            try {
                spec = url && !location.type().equals(LocationSpec.URL) ? new LocationSpec(LocationSpec.URL, target)
                        : source.resolve(target);
            } catch (LocationReadException e) {
                throw new InvalidInputException("substitution target '" + target + "': " + e.getMessage());
            }
            if (spec.type().equals(LocationSpec.FILE) && !location.type().equals(LocationSpec.FILE)) {
                throw new InvalidInputException("substitution target '" + target + "' is a file, but a location read"
                        + " from " + location.type() + " may not make the server read its files");
            }
            if (spec.hasPassword()) {
                throw new InvalidInputException("substitution target '" + spec.redactedTarget() + "' carries a"
                        + " password in its URL; credentials belong in the application's configuration");
            }
            if (fenced) {
                settings.apiLocationPolicy().refusal(spec).ifPresent(reason -> {
                    throw new InvalidInputException("substitution target '" + target + "' may not be read: " + reason);
                });
            }
            return spec;
        }
    }

    /**
     * Starts the version of a source whose substitutions read elsewhere: a hash of the source's own
     * version and of everything they read (a stored version has at most 128 characters).
     */
    private static final String SUBSTITUTED = "substituted ";

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String registeredHow(Location.Origin origin) {
        return switch (origin) {
            case API -> "through the API";
            case SCAFFOLDER -> "by a Scaffolder run";
            default -> "as " + origin.code();
        };
    }

    private static boolean isOrganization(EntityRef ref) {
        return ORGANIZATION_KINDS.contains(ref.kind().toLowerCase(Locale.ROOT));
    }

    private static String untrustedOrganization(Entity entity, String source) {
        return entity.ref() + ": " + entity.kind() + " entities define who belongs to which team, and so who may"
                + " approve what; they are accepted only from locations the application trusts (its configured"
                + " locations), not from " + source;
    }

    private static List<Relation> outgoing(EntityRef ref, ProcessedEntity processed) {
        return processed.relations().stream().filter(relation -> relation.source().equals(ref)).toList();
    }

    private static int count(List<WriteResult> results, WriteResult.Outcome outcome) {
        return (int) results.stream().filter(result -> result.outcome() == outcome).count();
    }

    private static Optional<EntityRef> refOf(ObjectNode json) {
        JsonNode kind = json.path("kind");
        JsonNode name = json.path("metadata").path("name");
        JsonNode namespace = json.path("metadata").path("namespace");
        if (!kind.isTextual() || !name.isTextual() || kind.asText().isEmpty() || name.asText().isEmpty()) {
            return Optional.empty();
        }
        String ns = namespace.isTextual() && !namespace.asText().isEmpty() ? namespace.asText() : EntityRef.DEFAULT_NAMESPACE;
        return Optional.of(new EntityRef(kind.asText(), ns, name.asText()));
    }
}
