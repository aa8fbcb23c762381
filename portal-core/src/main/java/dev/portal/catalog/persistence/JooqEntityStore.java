package dev.portal.catalog.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.search.FilterTerms;
import dev.portal.catalog.search.SearchRow;
import dev.portal.catalog.search.SearchRows;
import dev.portal.db.tables.Entities;
import dev.portal.db.tables.Relations;
import dev.portal.db.tables.Search;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static dev.portal.db.Tables.ENTITIES;
import static dev.portal.db.Tables.RELATIONS;
import static dev.portal.db.Tables.SEARCH;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.select;

/**
 * {@link EntityStore} on PostgreSQL. Every statement handles a whole chunk of entities: one lookup
 * of the stored heads, one insert and one update of entity rows, one delete and one {@code COPY}
 * each for relations and search rows. Entity rows travel as arrays that PostgreSQL {@code unnest}s,
 * relation and search rows (~30 per entity) as {@link CopyRows}, so a chunk costs a handful of round
 * trips however many rows it carries.
 */
final class JooqEntityStore implements EntityStore {

    private static final int CHUNK_SIZE = 1000;
    /** Orphaning a large location re-indexes all of its entities at once: its rows go in pieces this size. */
    private static final int SEARCH_ROWS_PER_COPY = 50_000;

    private static final Entities E = ENTITIES;
    private static final Relations R = RELATIONS;
    private static final Search S = SEARCH;

    private static final SecureRandom UID_RANDOM = new SecureRandom();
    private static final AtomicLong UID_SEQUENCE = new AtomicLong();

    private final DSLContext dsl;

    JooqEntityStore(DSLContext dsl) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
    }

    @Override
    public List<WriteResult> upsert(List<EntityWrite> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<List<EntityWrite>> chunks = chunks(writes);
        // Hashing, serializing and flattening need no database: the next chunk is prepared on another
        // core while this thread waits for the statements of the current one.
        CompletableFuture<List<Prepared>> next = CompletableFuture.supplyAsync(() -> prepare(chunks.getFirst()));
        // A savepoint inside the caller's transaction, or a transaction of its own: a stale write
        // never leaves half a batch behind.
        try {
            return dsl.transactionResult(cfg -> {
                List<WriteResult> results = new ArrayList<>(writes.size());
                CompletableFuture<List<Prepared>> upcoming = next;
                for (int i = 0; i < chunks.size(); i++) {
                    List<Prepared> chunk = join(upcoming);
                    if (i + 1 < chunks.size()) {
                        List<EntityWrite> following = chunks.get(i + 1);
                        upcoming = CompletableFuture.supplyAsync(() -> prepare(following));
                    }
                    results.addAll(upsertChunk(cfg.dsl(), chunk));
                }
                return results;
            });
        } finally {
            next.cancel(false);
        }
    }

    @Override
    public Map<EntityRef, EntityHead> heads(Collection<EntityRef> refs) {
        if (refs.isEmpty()) {
            return Map.of();
        }
        Map<EntityRef, EntityHead> heads = new HashMap<>();
        dsl.select(E.ENTITY_ID, E.KIND, E.NAMESPACE, E.NAME, E.LOCATION_ID, E.ETAG, E.CONTENT_HASH, E.ORPHANED_AT,
                        E.LOCATION_KEY)
                .from(E)
                .where(among(E.ENTITY_REF, canonical(refs)))
                .forEach(row -> {
                    EntityHead head = head(row);
                    heads.put(head.ref(), head);
                });
        return heads;
    }

    @Override
    public List<EntityHead> headsByLocation(UUID locationId) {
        return dsl.select(E.ENTITY_ID, E.KIND, E.NAMESPACE, E.NAME, E.LOCATION_ID, E.ETAG, E.CONTENT_HASH, E.ORPHANED_AT,
                        E.LOCATION_KEY)
                .from(E)
                .where(E.LOCATION_ID.eq(locationId))
                .orderBy(E.ENTITY_REF)
                .fetch(JooqEntityStore::head);
    }

    @Override
    public int markOrphaned(Collection<UUID> uids) {
        if (uids.isEmpty()) {
            return 0;
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var unmarked = tx.select(E.ENTITY_ID, E.ETAG, E.DOCUMENT)
                    .from(E)
                    .where(among(E.ENTITY_ID, uids.toArray(UUID[]::new)))
                    .and(E.ORPHANED_AT.isNull())
                    .forUpdate()
                    .fetch();
            int n = unmarked.size();
            UUID[] ids = new UUID[n];
            String[] oldEtags = new String[n];
            String[] etags = new String[n];
            String[] documents = new String[n];
            String[] terms = new String[n];
            Map<UUID, List<SearchRow>> marked = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                ids[i] = unmarked.get(i).get(E.ENTITY_ID);
                oldEtags[i] = unmarked.get(i).get(E.ETAG);
                etags[i] = newEtag();
                ObjectNode document = EntityDocuments.readTree(unmarked.get(i).get(E.DOCUMENT));
                ObjectNode metadata = (ObjectNode) document.get("metadata");
                metadata.withObjectProperty("annotations").put(Entity.ORPHAN, "true");
                metadata.put("etag", etags[i]);
                documents[i] = EntityDocuments.write(document);
                marked.put(ids[i], SearchRows.of(Entity.of(document), ids[i]));
                terms[i] = FilterTerms.joined(marked.get(ids[i]));
            }
            Table<?> v = select(
                    unnest(E.ENTITY_ID, ids).as("entity_id"),
                    unnest(E.ETAG, oldEtags).as("old_etag"),
                    unnest(E.ETAG, etags).as("etag"),
                    unnest(E.DOCUMENT, documents).as("document"),
                    unnest(E.DOCUMENT, terms).as("terms"))
                    .asTable("v");
            tx.update(E)
                    .set(E.ETAG, v.field("etag", String.class))
                    .set(E.DOCUMENT, v.field("document", String.class))
                    .set(E.SEARCH_TERMS, termArray(v.field("terms", String.class)))
                    .set(E.ORPHANED_AT, currentOffsetDateTime())
                    .set(E.UPDATED_AT, currentOffsetDateTime())
                    .from(v)
                    .where(E.ENTITY_ID.eq(v.field("entity_id", UUID.class)))
                    .and(E.ETAG.eq(v.field("old_etag", String.class)))
                    .execute();
            replaceSearchRows(tx, marked, ids);
            return n;
        });
    }

    @Override
    public int deleteOrphans() {
        return dsl.transactionResult(cfg -> deleteEntities(cfg.dsl(), E.ORPHANED_AT.isNotNull()));
    }

    @Override
    public boolean deleteByUid(UUID uid) {
        return dsl.transactionResult(cfg -> deleteEntities(cfg.dsl(), E.ENTITY_ID.eq(uid))) > 0;
    }

    /** Deletes entities with their search and relation rows (no foreign key cascades to those, see V1_3). */
    private static int deleteEntities(DSLContext tx, Condition which) {
        UUID[] deleted = tx.deleteFrom(E).where(which).returningResult(E.ENTITY_ID).fetch(E.ENTITY_ID)
                .toArray(UUID[]::new);
        if (deleted.length > 0) {
            tx.deleteFrom(S).where(among(S.ENTITY_ID, deleted)).execute();
            tx.deleteFrom(R).where(among(R.ORIGINATING_ENTITY_ID, deleted)).execute();
        }
        return deleted.length;
    }

    private static List<Prepared> prepare(List<EntityWrite> writes) {
        List<Prepared> prepared = new ArrayList<>(writes.size());
        for (EntityWrite write : writes) {
            ObjectNode content = write.entity().toJson();
            ObjectNode metadata = (ObjectNode) content.get("metadata");
            metadata.remove(List.of("uid", "etag"));
            // Served as Backstage serves it: every entity names its namespace, defaulted or not.
            if (!metadata.path("namespace").isTextual()) {
                metadata.put("namespace", write.entity().namespace());
            }
            prepared.add(new Prepared(write, write.entity().ref(), content, contentHash(content, write.relations()),
                    SearchRows.contentRows(write.entity())));
        }
        return prepared;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private List<WriteResult> upsertChunk(DSLContext tx, List<Prepared> chunk) {
        Map<String, StoredHead> stored = storedHeads(tx, chunk);
        List<WriteResult> results = new ArrayList<>(chunk.size());
        List<Planned> inserts = new ArrayList<>();
        List<Planned> updates = new ArrayList<>();
        for (Prepared prepared : chunk) {
            EntityWrite write = prepared.write();
            EntityRef ref = prepared.ref();
            StoredHead head = stored.get(ref.canonical());
            if (write.expectedEtag() != null && (head == null || !write.expectedEtag().equals(head.etag()))) {
                throw new StaleEntityException(ref, write.expectedEtag(), head == null ? null : head.etag());
            }
            if (head != null && head.contentHash().equals(prepared.contentHash()) && !head.orphan()
                    && Objects.equals(head.locationId(), write.locationId())) {
                results.add(new WriteResult(ref, head.uid(), head.etag(), WriteResult.Outcome.UNCHANGED));
                continue;
            }
            UUID uid = head == null ? newUid() : head.uid();
            String etag = newEtag();
            ObjectNode document = prepared.content();
            ObjectNode metadata = (ObjectNode) document.get("metadata");
            metadata.put("uid", uid.toString());
            metadata.put("etag", etag);
            Planned planned = new Planned(prepared, uid, etag, head == null ? 1 : head.generation() + 1,
                    EntityDocuments.write(document), head == null ? null : head.etag());
            (head == null ? inserts : updates).add(planned);
            results.add(new WriteResult(ref, uid, etag,
                    head == null ? WriteResult.Outcome.CREATED : WriteResult.Outcome.UPDATED));
        }
        insertEntities(tx, inserts);
        updateEntities(tx, updates);
        List<Planned> changed = new ArrayList<>(inserts);
        changed.addAll(updates);
        replaceRelations(tx, changed, updates);
        Map<UUID, List<SearchRow>> searchRows = new LinkedHashMap<>();
        for (Planned planned : changed) {
            List<SearchRow> rows = new ArrayList<>(planned.prepared().searchRows());
            rows.add(SearchRows.uidRow(planned.uid()));
            searchRows.put(planned.uid(), rows);
        }
        replaceSearchRows(tx, searchRows, updates.stream().map(Planned::uid).toArray(UUID[]::new));
        return results;
    }

    private Map<String, StoredHead> storedHeads(DSLContext tx, List<Prepared> chunk) {
        String[] refs = chunk.stream().map(p -> p.ref().canonical()).toArray(String[]::new);
        Map<String, StoredHead> heads = new HashMap<>();
        tx.select(E.ENTITY_REF, E.ENTITY_ID, E.ETAG, E.GENERATION, E.CONTENT_HASH, E.LOCATION_ID, E.ORPHANED_AT)
                .from(E)
                .where(among(E.ENTITY_REF, refs))
                .forUpdate()
                .forEach(row -> heads.put(row.value1(), new StoredHead(row.value2(), row.value3(), row.value4(),
                        row.value5(), row.value6(), row.value7() != null)));
        return heads;
    }

    private static void insertEntities(DSLContext tx, List<Planned> inserts) {
        if (inserts.isEmpty()) {
            return;
        }
        Columns c = new Columns(inserts);
        tx.insertInto(E, E.ENTITY_ID, E.ENTITY_REF, E.KIND, E.NAMESPACE, E.NAME, E.LOCATION_ID, E.LOCATION_KEY,
                        E.ETAG, E.GENERATION, E.CONTENT_HASH, E.DOCUMENT, E.SEARCH_TERMS)
                .select(select(
                        unnest(E.ENTITY_ID, c.ids), unnest(E.ENTITY_REF, c.refs), unnest(E.KIND, c.kinds),
                        unnest(E.NAMESPACE, c.namespaces), unnest(E.NAME, c.names),
                        unnest(E.LOCATION_ID, c.locationIds), unnest(E.LOCATION_KEY, c.locationKeys),
                        unnest(E.ETAG, c.etags), unnest(E.GENERATION, c.generations), unnest(E.CONTENT_HASH, c.contentHashes),
                        unnest(E.DOCUMENT, c.documents), termArray(unnest(E.DOCUMENT, c.terms))))
                .execute();
    }

    private static void updateEntities(DSLContext tx, List<Planned> updates) {
        if (updates.isEmpty()) {
            return;
        }
        Columns c = new Columns(updates);
        String[] readEtags = updates.stream().map(Planned::readEtag).toArray(String[]::new);
        Table<?> v = select(
                unnest(E.ENTITY_ID, c.ids).as("entity_id"), unnest(E.ETAG, readEtags).as("read_etag"),
                unnest(E.KIND, c.kinds).as("kind"), unnest(E.NAMESPACE, c.namespaces).as("namespace"),
                unnest(E.NAME, c.names).as("name"), unnest(E.LOCATION_ID, c.locationIds).as("location_id"),
                unnest(E.LOCATION_KEY, c.locationKeys).as("location_key"), unnest(E.ETAG, c.etags).as("etag"), unnest(E.GENERATION, c.generations).as("generation"),
                unnest(E.CONTENT_HASH, c.contentHashes).as("content_hash"),
                unnest(E.DOCUMENT, c.documents).as("document"), unnest(E.DOCUMENT, c.terms).as("terms"))
                .asTable("v");
        // The etag read above must still be the stored one: a concurrent writer makes this miss.
        Set<UUID> written = new HashSet<>(tx.update(E)
                .set(E.KIND, v.field("kind", String.class))
                .set(E.NAMESPACE, v.field("namespace", String.class))
                .set(E.NAME, v.field("name", String.class))
                .set(E.LOCATION_ID, v.field("location_id", UUID.class))
                .set(E.LOCATION_KEY, v.field("location_key", String.class))
                .set(E.ETAG, v.field("etag", String.class))
                .set(E.GENERATION, v.field("generation", Long.class))
                .set(E.CONTENT_HASH, v.field("content_hash", String.class))
                .set(E.DOCUMENT, v.field("document", String.class))
                .set(E.SEARCH_TERMS, termArray(v.field("terms", String.class)))
                .setNull(E.ORPHANED_AT)
                .set(E.UPDATED_AT, currentOffsetDateTime())
                .from(v)
                .where(E.ENTITY_ID.eq(v.field("entity_id", UUID.class)))
                .and(E.ETAG.eq(v.field("read_etag", String.class)))
                .returningResult(E.ENTITY_ID)
                .fetch(E.ENTITY_ID));
        for (Planned update : updates) {
            if (!written.contains(update.uid())) {
                String actual = tx.select(E.ETAG).from(E).where(E.ENTITY_ID.eq(update.uid())).fetchOne(E.ETAG);
                throw new StaleEntityException(update.ref(), update.readEtag(), actual);
            }
        }
    }

    private static void replaceRelations(DSLContext tx, List<Planned> changed, List<Planned> updates) {
        if (!updates.isEmpty()) {
            tx.deleteFrom(R)
                    .where(among(R.ORIGINATING_ENTITY_ID, updates.stream().map(Planned::uid).toArray(UUID[]::new)))
                    .execute();
        }
        CopyRows rows = new CopyRows(changed.size() * 8);
        for (Planned planned : changed) {
            for (Relation relation : planned.write().relations()) {
                rows.add(planned.uid()).add(relation.source().canonical()).add(relation.type())
                        .add(relation.target().canonical()).endRow();
            }
        }
        rows.into(tx, R, R.ORIGINATING_ENTITY_ID, R.SOURCE_ENTITY_REF, R.TYPE, R.TARGET_ENTITY_REF);
    }

    private static void replaceSearchRows(DSLContext tx, Map<UUID, List<SearchRow>> rowsByEntity,
                                          UUID[] previouslyIndexed) {
        if (previouslyIndexed.length > 0) {
            tx.deleteFrom(S).where(among(S.ENTITY_ID, previouslyIndexed)).execute();
        }
        CopyRows copy = new CopyRows(Math.min(rowsByEntity.size() * 24, SEARCH_ROWS_PER_COPY));
        rowsByEntity.forEach((uid, rows) -> {
            for (SearchRow row : rows) {
                copy.add(uid).add(row.key()).add(row.value()).add(row.originalValue()).endRow();
            }
            if (copy.size() >= SEARCH_ROWS_PER_COPY) {
                copy.into(tx, S, S.ENTITY_ID, S.KEY, S.VALUE, S.ORIGINAL_VALUE);
            }
        });
        copy.into(tx, S, S.ENTITY_ID, S.KEY, S.VALUE, S.ORIGINAL_VALUE);
    }

    /** A whole term array shipped as one string (see {@link FilterTerms#joined}), split on the database side. */
    private static Field<String[]> termArray(Field<String> joined) {
        return DSL.function("string_to_array", E.SEARCH_TERMS.getDataType(), joined, DSL.val(FilterTerms.separator()));
    }

    /** The values of {@code column}, one per row, as {@code unnest(?::type[])}. */
    private static <T> Field<T> unnest(TableField<?, T> column, T[] values) {
        return DSL.function("unnest", column.getDataType(), DSL.val(values, column.getDataType().array()));
    }

    /**
     * {@code column} is one of {@code values}, for arrays of any size. An array is bound as text
     * cast to its type ({@code cast(? as uuid[])}), which PostgreSQL does not fold into a constant:
     * {@code column = any(...)} in a plan that scans the table parses the whole array again for
     * every row (orphaning a 10,000-entity location ran for minutes, parsing 10,000 uuids for each
     * of 200,000 search rows). Unnested in a sub-select, the array is read once and joined.
     */
    private static <T> Condition among(TableField<?, T> column, T[] values) {
        return column.in(select(unnest(column, values)));
    }

    /** Splits the writes into chunks in which no ref occurs twice, so each chunk can be planned at once. */
    private static List<List<EntityWrite>> chunks(List<EntityWrite> writes) {
        List<List<EntityWrite>> chunks = new ArrayList<>();
        List<EntityWrite> current = new ArrayList<>();
        Set<String> refs = new HashSet<>();
        for (EntityWrite write : writes) {
            if (current.size() == CHUNK_SIZE || !refs.add(write.entity().ref().canonical())) {
                chunks.add(current);
                current = new ArrayList<>();
                refs.clear();
                refs.add(write.entity().ref().canonical());
            }
            current.add(write);
        }
        chunks.add(current);
        return chunks;
    }

    /** SHA-256 over the document (without uid and etag) and the sorted relations. */
    private static String contentHash(ObjectNode content, List<Relation> relations) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update(EntityDocuments.write(content).getBytes(StandardCharsets.UTF_8));
        relations.stream()
                .map(r -> "\n" + r.source().canonical() + ' ' + r.type() + ' ' + r.target().canonical())
                .distinct()
                .sorted()
                .forEach(line -> digest.update(line.getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A version 7 (time-ordered) UUID: new rows land at the right edge of every index keyed by
     * entity id instead of at random pages, which keeps bulk ingestion fast.
     */
    private static UUID newUid() {
        long millis = System.currentTimeMillis();
        long random = UID_RANDOM.nextLong();
        long high = (millis << 16) | 0x7000L | (UID_SEQUENCE.getAndIncrement() & 0x0FFFL);
        long low = (random & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static String newEtag() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static String[] canonical(Collection<EntityRef> refs) {
        return refs.stream().map(EntityRef::canonical).distinct().toArray(String[]::new);
    }

    private static EntityHead head(Record row) {
        return new EntityHead(row.get(E.ENTITY_ID), new EntityRef(row.get(E.KIND), row.get(E.NAMESPACE), row.get(E.NAME)),
                row.get(E.LOCATION_ID), row.get(E.ETAG), row.get(E.CONTENT_HASH), row.get(E.ORPHANED_AT) != null,
                row.get(E.LOCATION_KEY));
    }

    private record StoredHead(UUID uid, String etag, long generation, String contentHash, UUID locationId,
                              boolean orphan) {
    }

    /** What a write needs that does not depend on the stored state: computed ahead, off this thread. */
    private record Prepared(EntityWrite write, EntityRef ref, ObjectNode content, String contentHash,
                            List<SearchRow> searchRows) {
    }

    private record Planned(Prepared prepared, UUID uid, String etag, long generation, String document,
                           String readEtag) {

        EntityWrite write() {
            return prepared.write();
        }

        EntityRef ref() {
            return prepared.ref();
        }
    }

    /** The entity columns of planned writes, column by column, ready to be unnested. */
    private static final class Columns {
        final UUID[] ids;
        final String[] refs;
        final String[] kinds;
        final String[] namespaces;
        final String[] names;
        final UUID[] locationIds;
        /** The registration each entity belongs to: its managed-by-origin-location annotation. */
        final String[] locationKeys;
        final String[] etags;
        final Long[] generations;
        final String[] contentHashes;
        final String[] documents;
        /** Each entity's filter terms, joined into one string. */
        final String[] terms;

        Columns(List<Planned> planned) {
            int n = planned.size();
            ids = new UUID[n];
            refs = new String[n];
            kinds = new String[n];
            namespaces = new String[n];
            names = new String[n];
            locationIds = new UUID[n];
            locationKeys = new String[n];
            etags = new String[n];
            generations = new Long[n];
            contentHashes = new String[n];
            documents = new String[n];
            terms = new String[n];
            for (int i = 0; i < n; i++) {
                Planned p = planned.get(i);
                ids[i] = p.uid();
                refs[i] = p.ref().canonical();
                kinds[i] = p.ref().kind();
                namespaces[i] = p.ref().namespace();
                names[i] = p.ref().name();
                locationIds[i] = p.write().locationId();
                locationKeys[i] = p.write().entity().annotation(Entity.MANAGED_BY_ORIGIN_LOCATION).orElse(null);
                etags[i] = p.etag();
                generations[i] = p.generation();
                contentHashes[i] = p.prepared().contentHash();
                documents[i] = p.document();
                List<SearchRow> rows = new ArrayList<>(p.prepared().searchRows());
                rows.add(SearchRows.uidRow(p.uid()));
                terms[i] = FilterTerms.joined(rows);
            }
        }
    }
}
