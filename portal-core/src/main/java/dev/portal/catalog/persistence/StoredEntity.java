package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An entity as the catalog serves it: its stored document and the relations whose source it is.
 *
 * <p>The document stays the JSON text it was stored as until someone asks for the {@link #entity()},
 * so a reader that only writes it out again (the REST API) never parses it. Likewise its relations
 * stay the type and target strings they were read as until someone asks for {@link #relations()}:
 * a page of 500 entities carries some 4,000 of them, and the API writes the strings as they are.
 */
public final class StoredEntity {

    private final UUID uid;
    private final EntityRef ref;
    private final String etag;
    private final long generation;
    private final UUID locationId;
    private final boolean orphan;
    private final String document;
    // Parallel: the relations' types and canonical target refs, ordered by type then target.
    private final String[] relationTypes;
    private final String[] relationTargets;
    private final List<String> problems;
    // Parsed on first use; racing threads parse the same text into equal entities.
    private volatile Entity entity;
    // Made on first use from the two arrays, in the same way.
    private volatile List<Relation> relations;

    /**
     * @param document the entity document as stored: compact JSON with {@code metadata.uid},
     *     {@code metadata.etag} and {@code metadata.namespace} filled in, without relations
     * @param relations the relations whose source is this entity (both the ones its own descriptor
     *     produced and the reverse ones other descriptors produced), without duplicates, ordered by
     *     type then target
     * @param problems what went wrong the last time its location was read that concerns this entity
     *     (an invalid edit, which left this stored version in place; a ref another registration
     *     holds), in the order found; empty when nothing did
     */
    public StoredEntity(UUID uid, EntityRef ref, String etag, long generation, UUID locationId, boolean orphan,
                        String document, List<Relation> relations, List<String> problems) {
        this(uid, ref, etag, generation, locationId, orphan, document,
                relations.stream().map(Relation::type).toArray(String[]::new),
                relations.stream().map(relation -> relation.target().canonical()).toArray(String[]::new), problems);
        this.relations = List.copyOf(relations);
    }

    private StoredEntity(UUID uid, EntityRef ref, String etag, long generation, UUID locationId, boolean orphan,
                         String document, String[] relationTypes, String[] relationTargets, List<String> problems) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.etag = Objects.requireNonNull(etag, "etag");
        this.generation = generation;
        this.locationId = locationId;
        this.orphan = orphan;
        this.document = Objects.requireNonNull(document, "document");
        if (relationTypes.length != relationTargets.length) {
            throw new IllegalArgumentException("relation types and targets differ in number: "
                    + relationTypes.length + " and " + relationTargets.length);
        }
        this.relationTypes = relationTypes;
        this.relationTargets = relationTargets;
        this.problems = List.copyOf(problems);
    }

    /**
     * An entity as the store reads it, with its relations as the store holds them: parallel arrays
     * of types and canonical target refs, already ordered by type then target and without
     * duplicates. The arrays are taken over, not copied.
     */
    static StoredEntity read(UUID uid, EntityRef ref, String etag, long generation, UUID locationId, boolean orphan,
                             String document, String[] relationTypes, String[] relationTargets, List<String> problems) {
        return new StoredEntity(uid, ref, etag, generation, locationId, orphan, document, relationTypes,
                relationTargets, problems);
    }

    /** An entity without processing problems. */
    public StoredEntity(UUID uid, EntityRef ref, String etag, long generation, UUID locationId, boolean orphan,
                        String document, List<Relation> relations) {
        this(uid, ref, etag, generation, locationId, orphan, document, relations, List.of());
    }

    public UUID uid() {
        return uid;
    }

    public EntityRef ref() {
        return ref;
    }

    public String etag() {
        return etag;
    }

    public long generation() {
        return generation;
    }

    /** The location that emitted the entity, or {@code null} once that location is gone. */
    public UUID locationId() {
        return locationId;
    }

    public boolean orphan() {
        return orphan;
    }

    /**
     * The document, with {@code metadata.uid}, {@code metadata.etag} and (when the descriptor left
     * it to the default) {@code metadata.namespace} filled in.
     */
    public Entity entity() {
        Entity parsed = entity;
        if (parsed == null) {
            parsed = EntityDocuments.read(document);
            entity = parsed;
        }
        return parsed;
    }

    /**
     * The same document as JSON text, exactly as stored: compact, keys in their stored order, no
     * {@code relations} added.
     */
    public String document() {
        return document;
    }

    /**
     * The relations whose source is this entity (both the ones its own descriptor produced and the
     * reverse ones other descriptors produced), without duplicates, ordered by type then target.
     */
    public List<Relation> relations() {
        List<Relation> made = relations;
        if (made == null) {
            List<Relation> list = new ArrayList<>(relationTypes.length);
            for (int i = 0; i < relationTypes.length; i++) {
                list.add(new Relation(ref, relationTypes[i], EntityRef.parse(relationTargets[i])));
            }
            made = Collections.unmodifiableList(list);
            relations = made;
        }
        return made;
    }

    /** How many relations {@link #relations()} holds. */
    public int relationCount() {
        return relationTypes.length;
    }

    /** The type of the relation at {@code index} in {@link #relations()}. */
    public String relationType(int index) {
        return relationTypes[index];
    }

    /**
     * The canonical ref of the target of the relation at {@code index} in {@link #relations()}
     * (its {@code target().canonical()}), without making the {@link Relation}: what the catalog API
     * writes as its {@code targetRef}.
     */
    public String relationTargetRef(int index) {
        return relationTargets[index];
    }

    /**
     * The processing problems recorded against this entity's ref the last time its location (or
     * another that names the same ref) was read; served as Backstage's {@code status.items}.
     */
    public List<String> problems() {
        return problems;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredEntity that && uid.equals(that.uid) && ref.equals(that.ref)
                && etag.equals(that.etag) && generation == that.generation
                && Objects.equals(locationId, that.locationId) && orphan == that.orphan
                && document.equals(that.document) && Arrays.equals(relationTypes, that.relationTypes)
                && Arrays.equals(relationTargets, that.relationTargets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uid, etag, document);
    }

    @Override
    public String toString() {
        return "StoredEntity[" + ref + ", uid=" + uid + ", etag=" + etag + ", generation=" + generation + "]";
    }
}
