package dev.portal.catalog.persistence;

import dev.portal.catalog.model.CatalogText;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.query.InvalidQueryException;
import dev.portal.catalog.query.Order;
import dev.portal.catalog.query.QueryLimits;
import dev.portal.db.tables.Entities;
import dev.portal.db.tables.Relations;
import dev.portal.db.tables.Search;
import dev.portal.error.UnavailableException;
import org.jooq.Collation;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SelectField;
import org.jooq.SelectJoinStep;
import org.jooq.SortField;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.portal.db.Tables.ENTITIES;
import static dev.portal.db.Tables.PROCESSING_ERRORS;
import static dev.portal.db.Tables.RELATIONS;
import static dev.portal.db.Tables.SEARCH;
import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.arrayAgg;
import static org.jooq.impl.DSL.collation;
import static org.jooq.impl.DSL.countDistinct;
import static org.jooq.impl.DSL.lateral;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.quotedName;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectCount;
import static org.jooq.impl.DSL.selectDistinct;
import static org.jooq.impl.DSL.selectOne;

/**
 * {@link EntityQueries} on PostgreSQL.
 *
 * <p>Reads whose cost depends on what the caller sends (lists, pages, facets, by-refs) are checked
 * against the {@link QueryLimits} first, and run as one statement behind a guard that sets
 * {@code statement_timeout} and switches {@code jit} off for the implicit transaction of that one
 * round trip (see {@link #guarded}). The by-ref and by-uid reads are single-row look-ups on a
 * unique index whose cost no caller can inflate; they run unguarded, as fast as they can.
 */
final class JooqEntityQueries implements EntityQueries {

    private static final Entities E = ENTITIES;
    private static final Relations R = RELATIONS;
    private static final Search S = SEARCH;

    /**
     * The relations starting at the entity as two arrays in step (types, targets), duplicates and
     * order left to Java: de-duplicating and sorting a handful of relations is cheaper there than a
     * Sort + Unique plan per entity of a page. {@code null} arrays when there are none.
     */
    private static final Relations OUT = RELATIONS.as("out");
    private static final Table<Record2<String[], String[]>> OUTGOING = lateral(
            select(arrayAgg(OUT.TYPE).as("types"), arrayAgg(OUT.TARGET_ENTITY_REF).as("targets"))
                    .from(OUT)
                    .where(OUT.SOURCE_ENTITY_REF.eq(E.ENTITY_REF)))
            .as("outgoing");
    private static final Field<String[]> OUTGOING_TYPES = OUTGOING.field("types", String[].class);
    private static final Field<String[]> OUTGOING_TARGETS = OUTGOING.field("targets", String[].class);
    private static final Set<String> COLUMN_SORT_KEYS = Set.of("metadata.name", "kind", "metadata.namespace");
    private static final String PAGE_ID = "page_id";
    private static final String PAGE_SORT = "page_sort";
    private static final String VERSION = "catalog_version";
    private static final Field<Boolean> ORPHAN = DSL.field(E.ORPHANED_AT.isNotNull()).as("orphan");
    /**
     * The messages of the processing problems recorded against the entity's ref, {@code null} when
     * there are none: one probe of the errors' ref index per entity (the ref compared in the index's
     * collation, or PostgreSQL scans the table).
     */
    private static final Field<String[]> PROBLEMS = DSL.field(select(arrayAgg(PROCESSING_ERRORS.MESSAGE)
                    .orderBy(PROCESSING_ERRORS.ID))
            .from(PROCESSING_ERRORS)
            .where(PROCESSING_ERRORS.ENTITY_REF.eq(E.ENTITY_REF.collate(collation(quotedName("default"))))))
            .as("problems");

    /** Facet values sort the way Backstage's JavaScript sorts them, whatever the database collation. */
    private static final Collation CODE_POINT_ORDER = collation(quotedName("C"));

    private static final String FACET_KEY = "facet_key";
    private static final String FACET_VALUE = "facet_value";
    private static final String FACET_COUNT = "facet_count";
    /** How many values (facet values, totals) the kept answers may hold together. */
    private static final int ANSWERS_WEIGHT = 200_000;

    /** PostgreSQL's SQLSTATE for a statement cancelled by its timeout (or by a cancel request). */
    private static final String QUERY_CANCELED = "57014";

    private final DSLContext dsl;
    private final QueryLimits limits;
    /**
     * Sent in front of every guarded read, in the same round trip. {@code set_config(..., true)}
     * lasts until the end of the transaction: for a read on an auto-commit connection, the implicit
     * one the statements up to the protocol's Sync run in, so the settings end with the read. (A
     * {@code SET LOCAL} would do the same but warns, once per read, in the server log.)
     */
    private final String guard;
    /**
     * The guard of by-query pages, which also plans each page for the values it is sent
     * ({@code plan_cache_mode}): a prepared page statement's generic plan assumes a filter term
     * matches 0.5 % of the catalog, so it finds all matches through the GIN index and sorts them
     * for every page (a cursor walk of 100,000 entities sorted the whole catalog 200 times), where
     * a plan for the actual terms walks the sort order's index from the cursor's position.
     */
    private final String pageGuard;

    // The reads behind by-name and by-uid, rendered once: they never change shape, and rendering
    // them per call cost more than running them. Plain JDBC runs them for the same reason.
    private final String byRefSql;
    private final String byUidSql;
    // The same for by-query pages whose filter is plain terms, per shape (order, direction, cursor).
    private final Map<PageShape, PageStatement> pageStatements = new ConcurrentHashMap<>();
    // The catalog version and the answers kept under it (facet counts).
    private final String versionTable;
    private final String versionSql;
    private final VersionedAnswers answers = new VersionedAnswers(ANSWERS_WEIGHT);

    JooqEntityQueries(DSLContext dsl, QueryLimits limits) {
        this.dsl = Objects.requireNonNull(dsl, "dsl");
        this.limits = Objects.requireNonNull(limits, "limits");
        // A number of milliseconds from configuration, not from a caller.
        this.guard = "select set_config('statement_timeout', '" + limits.statementTimeout().toMillis()
                + "', true), set_config('jit', 'off', true);\n";
        this.pageGuard = "select set_config('statement_timeout', '" + limits.statementTimeout().toMillis()
                + "', true), set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true);\n";
        this.byRefSql = dsl.render(wholeEntities(E).where(E.ENTITY_REF.eq(param("ref", String.class))));
        this.byUidSql = dsl.render(wholeEntities(E).where(E.ENTITY_ID.eq(param("uid", UUID.class))));
        this.versionTable = dsl.render(E.getSchema()) + ".catalog_version";
        this.versionSql = "select version from " + versionTable;
    }

    /**
     * Whole entities of the rows of {@code from} (the entities table, possibly joined): columns,
     * document and outgoing relations, read by {@link #storedEntity(ResultSet)}.
     */
    private static SelectJoinStep<Record> wholeEntities(Table<?> from) {
        return select(wholeEntityFields()).from(from).crossJoin(OUTGOING);
    }

    /** The fields of {@link #wholeEntities}, and {@code more}. */
    private static List<SelectField<?>> wholeEntityFields(SelectField<?>... more) {
        List<SelectField<?>> fields = new ArrayList<>(List.of(E.ENTITY_ID, E.KIND, E.NAMESPACE, E.NAME, E.ETAG,
                E.GENERATION, E.LOCATION_ID, ORPHAN, E.DOCUMENT, OUTGOING_TYPES, OUTGOING_TARGETS, PROBLEMS));
        fields.addAll(List.of(more));
        return fields;
    }

    @Override
    public Optional<StoredEntity> byRef(EntityRef ref) {
        return read(byRefSql, statement -> statement.setString(1, ref.canonical())).stream().findFirst();
    }

    @Override
    public Optional<StoredEntity> byUid(UUID uid) {
        return read(byUidSql, statement -> statement.setObject(1, uid)).stream().findFirst();
    }

    @Override
    public List<Optional<StoredEntity>> byRefs(List<EntityRef> refs, EntityFilter filter) {
        limits.checkRefs(refs);
        limits.checkFilter(filter);
        if (refs.isEmpty()) {
            return List.of();
        }
        Map<EntityRef, StoredEntity> found = new HashMap<>();
        guarded(wholeEntities(E)
                .where(E.ENTITY_REF.eq(any(refs.stream().map(EntityRef::canonical).distinct().toArray(String[]::new))))
                .and(FilterConditions.of(filter)), JooqEntityQueries::storedEntity)
                .forEach(entity -> found.put(entity.ref(), entity));
        return refs.stream().map(ref -> Optional.ofNullable(found.get(ref))).toList();
    }

    @Override
    public List<StoredEntity> list(EntityFilter filter, List<Order> order, int offset, Integer limit) {
        limits.checkFilter(filter);
        limits.checkOrder(order);
        List<SortField<?>> sortFields = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Field<String> value = sortValue(order.get(i).field(), "sort_" + i);
            sortFields.add(order.get(i).ascending() ? value.asc().nullsLast() : value.desc().nullsLast());
        }
        sortFields.add(order.isEmpty() ? E.ENTITY_REF.asc() : E.ENTITY_ID.asc());
        var select = wholeEntities(E)
                .where(FilterConditions.of(filter))
                .orderBy(sortFields);
        return guarded(limit == null ? select.offset(offset) : select.limit(offset, limit), JooqEntityQueries::storedEntity);
    }

    @Override
    public EntityPage<StoredEntity> query(EntityQuery query) {
        QueryCursor state = query.cursor() == null ? QueryCursor.initial(query) : QueryCursor.decode(query.cursor());
        // A cursor carries the whole query: it is checked as if the caller had sent it in full.
        limits.checkFilter(state.filter());
        limits.checkFullText(state.fullTextTerm(), state.fullTextFields());
        // One more row than the page is read to tell whether another page follows.
        int limit = Math.min(query.limit() != null ? query.limit() : state.limit(), Integer.MAX_VALUE - 1);
        int offset = state.position() == null ? query.offset() : 0;

        // Entities lacking the order field are left out (as Backstage does): requiring the field's
        // key joins the filter's GIN look-up, so counting never touches the sort values.
        EntityFilter filter = state.order() == null ? state.filter()
                : EntityFilter.all(state.filter(), EntityFilter.exists(state.order().field()));
        String orderKey = state.order() == null ? null : state.order().field().trim().toLowerCase(Locale.ROOT);
        // Travelling backwards reads the rows in reverse order and turns the page round afterwards.
        boolean ascending = state.order() == null || state.order().ascending();
        boolean ascendingInSql = state.backward() != ascending;
        QueryCursor.Position position = state.position();

        // A filter of plain terms (the usual by-query) is one bound array: its statement has a
        // fixed shape, rendered once per shape. Anything else is built and rendered per call.
        // Only sorts by a column qualify: other sort keys are written into the SQL, and a cache
        // keyed by what callers send would grow without bound.
        Optional<List<String>> terms = state.fullTextTerm() == null && (orderKey == null || COLUMN_SORT_KEYS.contains(orderKey))
                ? FilterConditions.terms(filter) : Optional.empty();
        List<PageRow> rows;
        if (terms.isPresent()) {
            // In id order, the kind a filter names leads the order (see pageQuery).
            Optional<String> kind = orderKey == null ? FilterConditions.kind(filter) : Optional.empty();
            PageStatement page = pageStatements.computeIfAbsent(
                    new PageShape(orderKey, ascendingInSql, position != null, !terms.get().isEmpty(), kind.isPresent()),
                    this::pageStatement);
            Map<String, Object> values = new HashMap<>();
            values.put(PageStatement.TERMS, terms.get().toArray(String[]::new));
            kind.ifPresent(value -> values.put(PageStatement.KIND, value));
            values.put(PageStatement.OFFSET, offset);
            values.put(PageStatement.LIMIT, limit + 1);
            if (position != null) {
                values.put(PageStatement.AFTER_VALUE, position.value());
                values.put(PageStatement.AFTER_UID, position.uid());
            }
            rows = new ArrayList<>(guarded(pageGuard, page.sql(), statement -> page.bind(statement, values),
                    JooqEntityQueries::pageRow));
        } else {
            Condition matches = FilterConditions.of(filter).and(fullText(state));
            ResultQuery<Record> page = pageQuery(matches, null, orderKey, ascendingInSql,
                    position == null ? null : DSL.val(position.value(), String.class),
                    position == null ? null : DSL.val(position.uid(), UUID.class),
                    DSL.val(offset), DSL.val(limit + 1));
            rows = new ArrayList<>(guarded(pageGuard, dsl.render(page), bindAll(dsl.extractBindValues(page)),
                    JooqEntityQueries::pageRow));
        }
        // The total of the matches is kept under the catalog version (counting visits every match):
        // the page's rows carry the version of the snapshot they were read in, and a total kept
        // for that version is exact for the page. A page past the end has no rows to carry it.
        TotalQuestion question = new TotalQuestion(filter, state.fullTextTerm(), state.fullTextFields());
        Long total = rows.isEmpty() ? null : answers.get(question, rows.getFirst().version());
        if (total == null) {
            ResultQuery<?> count = selectCount().from(E).where(FilterConditions.of(filter).and(fullText(state)));
            Versioned<Long> counted = guarded("select v.version, (" + dsl.render(count) + ") from " + versionTable + " v",
                    bindAll(dsl.extractBindValues(count)), row -> new Versioned<>(row.getLong(1), row.getLong(2))).getFirst();
            answers.put(question, counted.version(), counted.answer(), 1);
            total = counted.answer();
        }
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
        }
        if (state.backward()) {
            Collections.reverse(rows);
        }
        List<StoredEntity> items = rows.stream().map(PageRow::entity).toList();

        Optional<String> next = Optional.empty();
        Optional<String> prev = Optional.empty();
        if (!rows.isEmpty()) {
            boolean hasNext = state.backward() || more;
            boolean hasPrev = state.backward() ? more : position != null || offset > 0;
            boolean sorted = orderKey != null;
            if (hasNext) {
                next = Optional.of(state.at(rows.getLast().position(sorted), false, limit).encode());
            }
            if (hasPrev) {
                prev = Optional.of(state.at(rows.getFirst().position(sorted), true, limit).encode());
            }
        }
        return new EntityPage<>(items, total, next, prev);
    }

    /**
     * A by-query page: the ids (and sort values) of the page's rows picked by the order and the
     * position first, then documents and relations for those rows only (with everything in one
     * select, PostgreSQL builds every matching row before the top-N sort). With a cursor position
     * and an index in the sort order (entity id, or {@code lower(name)} for metadata.name), a page
     * reads from its position on, so walking a catalog page by page reads each entity about once.
     * Each row carries the catalog version of the statement's snapshot, to which the total kept
     * for the query must belong.
     */
    private ResultQuery<Record> pageQuery(Condition matches, Field<String> kind, String orderKey, boolean ascendingInSql,
                                          Field<String> afterValue, Field<UUID> afterUid,
                                          Field<Integer> offset, Field<Integer> limit) {
        Field<String> sortValue = orderKey == null ? null : sortValue(orderKey, "sort");
        // A page in id order of a filter naming a kind (kind=component,...) reads that kind's
        // entities in id order from the page's position, through (lower(kind), entity_id) (V1_11):
        // the kind leads the order, and is asked as a range. (As an equality the planner knows the
        // kind is constant, drops it from the order and walks the primary key, past every entity of
        // the kinds stored before: ids are time-ordered, catalogs often loaded kind by kind.) Stored
        // kinds are ASCII letters and digits, so lower() in SQL and in Java agree on them.
        Field<String> leading = sortValue != null ? sortValue : kind == null ? null : lower(E.KIND);
        Field<String> afterLeading = sortValue != null ? afterValue : kind;
        List<SortField<?>> sortFields = new ArrayList<>();
        if (leading != null) {
            sortFields.add(ascendingInSql ? leading.asc() : leading.desc());
        }
        sortFields.add(ascendingInSql ? E.ENTITY_ID.asc() : E.ENTITY_ID.desc());

        Table<?> page = select(E.ENTITY_ID.as(PAGE_ID), (sortValue == null ? DSL.inline((String) null) : sortValue).as(PAGE_SORT))
                .from(E)
                .where(matches)
                .and(kind == null ? noCondition() : lower(E.KIND).between(kind, kind))
                .and(sortValue == null || COLUMN_SORT_KEYS.contains(orderKey) ? noCondition() : sortValue.isNotNull())
                .and(after(leading, E.ENTITY_ID, afterLeading, afterUid, ascendingInSql))
                .orderBy(sortFields)
                .limit(offset, limit)
                .asTable("page");
        Field<UUID> pageId = page.field(PAGE_ID, UUID.class);
        Field<String> pageSort = page.field(PAGE_SORT, String.class);
        Field<Long> version = DSL.field("(select version from " + versionTable + ")", Long.class).as(VERSION);
        List<SortField<?>> pageOrder = new ArrayList<>();
        if (sortValue != null) {
            pageOrder.add(ascendingInSql ? pageSort.asc() : pageSort.desc());
        }
        pageOrder.add(ascendingInSql ? pageId.asc() : pageId.desc());
        return select(wholeEntityFields(pageSort, version))
                .from(page.join(E).on(E.ENTITY_ID.eq(pageId)))
                .crossJoin(OUTGOING)
                .orderBy(pageOrder);
    }

    /** The statement of one {@link PageShape}, with a named parameter for each value that varies per call. */
    private PageStatement pageStatement(PageShape shape) {
        ResultQuery<Record> query = pageQuery(
                shape.filtered() ? E.SEARCH_TERMS.contains(param(PageStatement.TERMS, String[].class)) : noCondition(),
                shape.byKind() ? param(PageStatement.KIND, String.class) : null,
                shape.orderKey(), shape.ascendingInSql(),
                shape.positioned() ? param(PageStatement.AFTER_VALUE, String.class) : null,
                shape.positioned() ? param(PageStatement.AFTER_UID, UUID.class) : null,
                param(PageStatement.OFFSET, Integer.class), param(PageStatement.LIMIT, Integer.class));
        // Which parameter each '?' stands for, read off the same statement rendered with names
        // (jOOQ's parameter map and bind-value list are not in bind order). The shapes cached
        // hold no text from callers, so every ':' and '?' in them is a parameter.
        String sql = dsl.render(query);
        List<String> parameters = new ArrayList<>();
        Matcher named = PageStatement.NAMED.matcher(dsl.renderNamedParams(query));
        while (named.find()) {
            parameters.add(named.group(1));
        }
        long placeholders = sql.chars().filter(c -> c == '?').count();
        if (placeholders != parameters.size()) {
            throw new IllegalStateException("page statement has " + placeholders + " placeholders for " + parameters);
        }
        return new PageStatement(sql, List.copyOf(parameters));
    }

    private static PageRow pageRow(ResultSet row) throws SQLException {
        return new PageRow(storedEntity(row), row.getString(PAGE_SORT), row.getLong(VERSION));
    }

    /** What decides the SQL of a by-query page whose filter is plain terms. */
    private record PageShape(String orderKey, boolean ascendingInSql, boolean positioned, boolean filtered, boolean byKind) {
    }

    /**
     * A by-query page statement rendered once, and which value each of its bind positions takes,
     * so a call binds its values over plain JDBC without building or rendering anything.
     */
    private record PageStatement(String sql, List<String> parameters) {

        static final String TERMS = "terms";
        static final String AFTER_VALUE = "after_value";
        static final String AFTER_UID = "after_uid";
        static final String OFFSET = "page_offset";
        static final String LIMIT = "page_limit";
        static final String KIND = "page_kind";
        static final Pattern NAMED = Pattern.compile(":(" + String.join("|", TERMS, AFTER_VALUE, AFTER_UID, OFFSET, LIMIT, KIND)
                + ")(?![A-Za-z0-9_])");

        void bind(PreparedStatement statement, Map<String, Object> values) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                JooqEntityQueries.bind(statement, i + 1, values.get(parameters.get(i)));
            }
        }
    }

    /** An entity of a by-query page with the value it sorted by and the catalog version it was read at. */
    private record PageRow(StoredEntity entity, String sortValue, long version) {

        QueryCursor.Position position(boolean sorted) {
            return new QueryCursor.Position(sorted ? sortValue : null, entity.uid());
        }
    }

    @Override
    public Map<String, List<FacetCount>> facets(List<String> facetKeys, EntityFilter filter) {
        return facets(facetKeys, filter, null, List.of());
    }

    @Override
    public Map<String, List<FacetCount>> facets(List<String> facetKeys, EntityFilter filter, String fullTextTerm,
                                                List<String> fullTextFields) {
        String term = fullTextTerm == null || fullTextTerm.isBlank() ? null
                : CatalogText.require("the full-text term", fullTextTerm).trim();
        if (term != null && (fullTextFields == null || fullTextFields.isEmpty())) {
            throw new InvalidQueryException("a full-text term needs the fields to look for it in");
        }
        if (fullTextFields != null) {
            fullTextFields.forEach(field -> CatalogText.require("a full-text field", field));
        }
        limits.checkFacets(facetKeys);
        limits.checkFilter(filter);
        limits.checkFullText(term, fullTextFields == null ? List.of() : fullTextFields);
        Condition matches = term == null ? FilterConditions.of(filter) : FilterConditions.of(filter)
                .and(fullText(term, fullTextFields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList()));
        // Every search and relation row belongs to a stored entity: no filter, no semi-join.
        boolean unfiltered = term == null && filter instanceof EntityFilter.All all && all.filters().isEmpty();
        // Kept answers are valid for the version they were read at; reading it costs one small
        // round trip, far less than counting (see VersionedAnswers).
        long version = catalogVersion();
        List<String> fields = term == null ? List.of()
                : fullTextFields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList();
        Map<String, List<FacetCount>> kept = new HashMap<>();
        List<String> searchKeys = new ArrayList<>();
        for (String facet : new LinkedHashSet<>(facetKeys)) {
            String key = facet.trim().toLowerCase(Locale.ROOT);
            List<FacetCount> counts = answers.get(new FacetQuestion(key, filter, term, fields), version);
            if (counts != null) {
                kept.put(key, counts);
            } else if (key.startsWith(FilterConditions.RELATIONS_PREFIX)) {
                Versioned<Map<String, List<FacetCount>>> read = facetCounts(
                        select(DSL.inline(key).as(FACET_KEY), R.TARGET_ENTITY_REF.as(FACET_VALUE),
                                countDistinct(R.SOURCE_ENTITY_REF).as(FACET_COUNT))
                                .from(R)
                                .where(lower(R.TYPE).eq(FilterConditions.relationType(key)))
                                .and(unfiltered ? noCondition() : R.SOURCE_ENTITY_REF.in(select(E.ENTITY_REF).from(E).where(matches)))
                                .groupBy(R.TARGET_ENTITY_REF));
                keep(List.of(key), read, filter, term, fields, kept);
            } else if (!searchKeys.contains(key)) {
                searchKeys.add(key);
            }
        }
        // The facets of the search table in one statement: the matches (a full-text term above
        // all) are found once for all of them, not once per facet.
        if (!searchKeys.isEmpty()) {
            Versioned<Map<String, List<FacetCount>>> read = facetCounts(
                    select(S.KEY.as(FACET_KEY), S.ORIGINAL_VALUE.as(FACET_VALUE), countDistinct(S.ENTITY_ID).as(FACET_COUNT))
                            .from(S)
                            .where(searchKeys.size() == 1 ? S.KEY.eq(searchKeys.getFirst()) : S.KEY.in(searchKeys))
                            .and(S.ORIGINAL_VALUE.isNotNull())
                            .and(unfiltered ? noCondition() : S.ENTITY_ID.in(select(E.ENTITY_ID).from(E).where(matches)))
                            .groupBy(S.KEY, S.ORIGINAL_VALUE));
            keep(searchKeys, read, filter, term, fields, kept);
        }
        Map<String, List<FacetCount>> facets = new LinkedHashMap<>();
        for (String facet : new LinkedHashSet<>(facetKeys)) {
            facets.put(facet, kept.get(facet.trim().toLowerCase(Locale.ROOT)));
        }
        return facets;
    }

    /** Keeps the counts read for {@code keys} (none read: no value) and adds them to {@code into}. */
    private void keep(List<String> keys, Versioned<Map<String, List<FacetCount>>> read, EntityFilter filter, String term,
                      List<String> fields, Map<String, List<FacetCount>> into) {
        for (String key : keys) {
            List<FacetCount> counts = read.answer().getOrDefault(key, List.of());
            answers.put(new FacetQuestion(key, filter, term, fields), read.version(), counts, counts.size());
            into.put(key, counts);
        }
    }

    /** A by-query's total as asked: everything it depends on, besides the catalog's version. */
    private record TotalQuestion(EntityFilter filter, String fullTextTerm, List<String> fullTextFields) {
    }

    /** A facet as asked: everything its counts depend on, besides the catalog's version. */
    private record FacetQuestion(String key, EntityFilter filter, String fullTextTerm, List<String> fullTextFields) {
    }

    /** An answer with the catalog version of the snapshot it was read in. */
    private record Versioned<T>(long version, T answer) {
    }

    /** The catalog's version now (see {@code V1_8__catalog_version.sql}). */
    private long catalogVersion() {
        return read(versionSql, statement -> { }, row -> row.getLong(1)).getFirst();
    }

    /**
     * Runs facet counts (key, value, count) behind the guard, with the catalog version read in the
     * same statement (so from the same snapshot as the counts), values per key in code point order
     * as Backstage sorts them.
     */
    private Versioned<Map<String, List<FacetCount>>> facetCounts(ResultQuery<?> count) {
        String sql = "select v.version, f." + FACET_KEY + ", f." + FACET_VALUE + ", f." + FACET_COUNT
                + " from " + versionTable + " v left join lateral (" + dsl.render(count) + ") f on true"
                + " order by f." + FACET_KEY + ", f." + FACET_VALUE + " collate \"C\"";
        long[] version = new long[1];
        Map<String, List<FacetCount>> counts = new HashMap<>();
        guarded(sql, bindAll(dsl.extractBindValues(count)), row -> {
            version[0] = row.getLong(1);
            if (row.getString(2) != null) {
                counts.computeIfAbsent(row.getString(2), key -> new ArrayList<>())
                        .add(new FacetCount(row.getString(3), row.getLong(4)));
            }
            return null;
        });
        counts.replaceAll((key, values) -> List.copyOf(values));
        return new Versioned<>(version[0], counts);
    }

    @Override
    public Set<EntityRef> existing(Collection<EntityRef> refs) {
        if (refs.isEmpty()) {
            return Set.of();
        }
        Set<String> stored = new LinkedHashSet<>(dsl.select(E.ENTITY_REF).from(E)
                .where(E.ENTITY_REF.eq(any(refs.stream().map(EntityRef::canonical).distinct().toArray(String[]::new))))
                .fetch(E.ENTITY_REF));
        Set<EntityRef> existing = new LinkedHashSet<>();
        refs.stream().filter(ref -> stored.contains(ref.canonical())).forEach(existing::add);
        return existing;
    }

    @Override
    public List<Relation> danglingRelations(EntityRef ref) {
        return dsl.selectDistinct(R.TYPE, R.TARGET_ENTITY_REF)
                .from(R)
                .where(R.SOURCE_ENTITY_REF.eq(ref.canonical()))
                .andNotExists(selectOne().from(E).where(E.ENTITY_REF.eq(R.TARGET_ENTITY_REF)))
                .orderBy(R.TYPE, R.TARGET_ENTITY_REF)
                .fetch(row -> new Relation(ref, row.value1(), EntityRef.parse(row.value2())));
    }

    /** Per entity, the smallest lower-cased value of {@code key}; entities lacking it have no row. */
    /**
     * The value an entity sorts by: the least of its values for {@code key}, looked up per entity
     * through the (entity_id, key) index, so only the filtered entities pay for it.
     */
    private static Field<String> sortValue(String key, String alias) {
        // The commonest sort keys are columns of the entity row: no look-up at all. The search
        // table holds the same values lower-cased, so both paths sort alike.
        switch (key.trim().toLowerCase(Locale.ROOT)) {
            case "metadata.name" -> {
                return lower(E.NAME);
            }
            case "kind" -> {
                return lower(E.KIND);
            }
            case "metadata.namespace" -> {
                return lower(E.NAMESPACE);
            }
            default -> {
            }
        }
        Search sort = SEARCH.as(alias);
        // FILTER keeps PostgreSQL from rewriting min() into a walk of an index in value order looking
        // for this entity: O(n) per row, minutes at 100,000 entities with the (key, value, entity_id)
        // index the search table had before V1_12. The entity's own rows are a probe of search_entity_idx.
        return DSL.field(select(min(sort.VALUE).filterWhere(sort.VALUE.isNotNull())).from(sort)
                .where(sort.ENTITY_ID.eq(E.ENTITY_ID))
                // Inlined: with a bound key a generic plan may scan the key's whole index range per row.
                .and(sort.KEY.eq(DSL.inline(key.trim().toLowerCase(Locale.ROOT)))));
    }

    private static Condition fullText(QueryCursor state) {
        if (state.fullTextTerm() == null) {
            return noCondition();
        }
        return fullText(state.fullTextTerm(), state.fullTextFields());
    }

    private static Condition fullText(String term, List<String> fields) {
        Search text = SEARCH.as("text_search");
        return E.ENTITY_ID.in(select(text.ENTITY_ID).from(text)
                .where(text.KEY.in(fields))
                .and(text.VALUE.contains(term.toLowerCase(Locale.ROOT))));
    }

    /** Rows strictly beyond the position ({@code afterValue}, {@code afterUid}) in the direction the SQL reads. */
    private static Condition after(Field<String> sortValue, Field<UUID> uid, Field<String> afterValue,
                                   Field<UUID> afterUid, boolean ascendingInSql) {
        if (afterUid == null) {
            return noCondition();
        }
        if (sortValue == null) {
            return ascendingInSql ? uid.gt(afterUid) : uid.lt(afterUid);
        }
        return ascendingInSql ? row(sortValue, uid).gt(afterValue, afterUid) : row(sortValue, uid).lt(afterValue, afterUid);
    }

    /** Binds {@code values} in order. */
    private static Parameters bindAll(List<Object> values) {
        return statement -> {
            for (int i = 0; i < values.size(); i++) {
                bind(statement, i + 1, values.get(i));
            }
        };
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Sets the parameters of a statement. */
    @FunctionalInterface
    private interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Runs SQL rendered beforehand over plain JDBC. */
    private List<StoredEntity> read(String sql, Parameters parameters) {
        return read(sql, parameters, JooqEntityQueries::storedEntity);
    }

    private <T> List<T> read(String sql, Parameters parameters, RowReader<T> reader) {
        return dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                parameters.set(statement);
                try (ResultSet rows = statement.executeQuery()) {
                    return readAll(rows, reader);
                }
            }
        });
    }

    /**
     * Runs a query built per call behind the {@link #guard}: rendered by jOOQ, its bind values
     * (in the order of their placeholders) bound over plain JDBC, its rows read straight from JDBC.
     */
    private <T> List<T> guarded(ResultQuery<?> query, RowReader<T> reader) {
        String sql = dsl.render(query);
        List<Object> values = dsl.extractBindValues(query);
        return guarded(sql, statement -> {
            for (int i = 0; i < values.size(); i++) {
                bind(statement, i + 1, values.get(i));
            }
        }, reader);
    }

    /**
     * Runs SQL behind the {@link #guard}: one round trip, whose first result is the guard's and
     * whose second is the read's. A read PostgreSQL cancels is an {@link UnavailableException}
     * naming the limit, never the SQL.
     */
    private <T> List<T> guarded(String sql, Parameters parameters, RowReader<T> reader) {
        return guarded(guard, sql, parameters, reader);
    }

    private <T> List<T> guarded(String prefix, String sql, Parameters parameters, RowReader<T> reader) {
        return dsl.connectionResult(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(prefix + sql)) {
                parameters.set(statement);
                statement.execute();
                if (!statement.getMoreResults()) {
                    throw new IllegalStateException("a guarded read returned no rows");
                }
                try (ResultSet rows = statement.getResultSet()) {
                    return readAll(rows, reader);
                }
            } catch (SQLException e) {
                if (QUERY_CANCELED.equals(e.getSQLState())) {
                    throw new UnavailableException("the catalog read was cancelled after "
                            + limits.statementTimeout().toMillis() + " ms, the limit for one read"
                            + " (QueryLimits.statementTimeout, portal.catalog.api.statement-timeout);"
                            + " narrow the filter, or try again later", e);
                }
                throw new DataAccessException("reading entities failed: " + e.getMessage(), e);
            }
        });
    }

    /** {@code statement_timeout} and {@code jit} as a guarded read sees them; for tests of the guard. */
    List<String> settingsOfAGuardedRead() {
        return guarded("select current_setting('statement_timeout'), current_setting('jit')", statement -> { },
                row -> List.of(row.getString(1), row.getString(2))).getFirst();
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof String[] array) {
            statement.setArray(index, statement.getConnection().createArrayOf("varchar", array));
        } else {
            statement.setObject(index, value);
        }
    }

    private static <T> List<T> readAll(ResultSet rows, RowReader<T> reader) throws SQLException {
        List<T> read = new ArrayList<>();
        while (rows.next()) {
            read.add(reader.read(rows));
        }
        return read;
    }

    private static StoredEntity storedEntity(ResultSet row) throws SQLException {
        // By position, in the order of wholeEntityFields: every statement read here starts with them,
        // and a look-up by name is a map probe per column per row (12 per entity, 6,000 a page).
        EntityRef ref = new EntityRef(row.getString(2), row.getString(3), row.getString(4));
        String[] types = strings(row.getArray(10));
        String[] targets = strings(row.getArray(11));
        int n = distinctInOrder(types, targets);
        return StoredEntity.read(row.getObject(1, UUID.class), ref, row.getString(5), row.getLong(6),
                row.getObject(7, UUID.class), row.getBoolean(8), row.getString(9),
                n == types.length ? types : Arrays.copyOf(types, n),
                n == targets.length ? targets : Arrays.copyOf(targets, n),
                List.of(strings(row.getArray(12))));
    }

    /**
     * Orders the parallel arrays of relation types and targets by type, then target, and moves the
     * distinct pairs to the front; returns how many there are.
     */
    private static int distinctInOrder(String[] types, String[] targets) {
        int n = types.length;
        if (n < 2) {
            return n;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byType = types[a].compareTo(types[b]);
            return byType != 0 ? byType : targets[a].compareTo(targets[b]);
        });
        String[] sortedTypes = new String[n];
        String[] sortedTargets = new String[n];
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            String type = types[order[i]];
            String target = targets[order[i]];
            if (distinct == 0 || !sortedTypes[distinct - 1].equals(type) || !sortedTargets[distinct - 1].equals(target)) {
                sortedTypes[distinct] = type;
                sortedTargets[distinct] = target;
                distinct++;
            }
        }
        System.arraycopy(sortedTypes, 0, types, 0, distinct);
        System.arraycopy(sortedTargets, 0, targets, 0, distinct);
        return distinct;
    }

    private static String[] strings(Array array) throws SQLException {
        if (array == null) {
            return new String[0];
        }
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }
}
