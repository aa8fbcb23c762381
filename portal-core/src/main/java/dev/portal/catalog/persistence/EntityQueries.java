package dev.portal.catalog.persistence;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.query.InvalidQueryException;
import dev.portal.catalog.query.Order;
import dev.portal.catalog.query.QueryLimits;
import org.jooq.DSLContext;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The read side of the entity tables, with Backstage's catalog API semantics. Filtering, ordering,
 * paging, counting and facets all run in SQL over the search and relations tables; nothing loads
 * the catalog into memory. Refs and filter values match case-insensitively.
 *
 * <p>Reads whose cost grows with their input ({@link #byRefs}, {@link #list}, {@link #query},
 * {@link #facets}) are held to {@link QueryLimits}: one that breaks a limit is refused with an
 * {@link dev.portal.error.InvalidInputException} naming it, one that runs longer than the
 * statement timeout is cancelled with an {@link dev.portal.error.UnavailableException}.
 */
public interface EntityQueries {

    /**
     * The queries over the portal tables that {@code dsl} addresses (see {@link PortalSchema#dsl}).
     * Creating them renders their fixed SQL: keep one rather than making one per read.
     */
    static EntityQueries jooq(DSLContext dsl) {
        return jooq(dsl, QueryLimits.defaults());
    }

    /** The same, with these limits on what one read may ask of the database. */
    static EntityQueries jooq(DSLContext dsl, QueryLimits limits) {
        return new JooqEntityQueries(dsl, limits);
    }

    /** The entity with that ref, matched case-insensitively. */
    Optional<StoredEntity> byRef(EntityRef ref);

    Optional<StoredEntity> byUid(UUID uid);

    /**
     * One slot per requested ref, in the same order: the entity, or empty when it does not exist or
     * does not pass {@code filter}.
     */
    List<Optional<StoredEntity>> byRefs(List<EntityRef> refs, EntityFilter filter);

    /**
     * {@code GET /entities}: the matching entities sorted by {@code order} (entities lacking a field
     * sort after those having it; remaining ties by ascending uid), or by entity ref when no order
     * is given.
     *
     * @param limit the most entities to return, or {@code null} for all
     */
    List<StoredEntity> list(EntityFilter filter, List<Order> order, int offset, Integer limit);

    /**
     * {@code /entities/by-query}: one page of the matches, in order of the query's order field (ties
     * by uid in the same direction; uid order without a field; entities lacking the field are left
     * out of items and total), with cursors to the neighbouring pages. A cursor carries the whole
     * query, so a follow-up request needs nothing else.
     *
     * @throws InvalidQueryException if the query's cursor is malformed
     */
    EntityPage<StoredEntity> query(EntityQuery query);

    /**
     * For each facet key, how many matching entities have each value, keyed by the facet exactly as
     * requested, values as written and sorted; {@code relations.<type>} facets count target refs.
     */
    Map<String, List<FacetCount>> facets(List<String> facetKeys, EntityFilter filter);

    /**
     * {@link #facets(List, EntityFilter)} over the entities that also contain {@code fullTextTerm}
     * (case-insensitively) in one of {@code fullTextFields}, as a by-query's full-text filter
     * matches them: the counts next to a search's results.
     *
     * @param fullTextTerm the term, or {@code null} (or blank) for no full-text condition
     * @param fullTextFields the dotted fields searched; required when there is a term
     * @throws InvalidQueryException if there is a term but no field to look for it in
     */
    Map<String, List<FacetCount>> facets(List<String> facetKeys, EntityFilter filter, String fullTextTerm,
                                         List<String> fullTextFields);

    /** Those of {@code refs} that name a stored entity. */
    Set<EntityRef> existing(Collection<EntityRef> refs);

    /** The relations from {@code ref} whose target entity does not exist, ordered by type then target. */
    List<Relation> danglingRelations(EntityRef ref);
}
