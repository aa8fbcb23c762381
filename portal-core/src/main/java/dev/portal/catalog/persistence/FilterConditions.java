package dev.portal.catalog.persistence;

import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.search.FilterTerms;
import dev.portal.db.tables.Entities;
import dev.portal.db.tables.Relations;
import org.jooq.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.portal.db.Tables.ENTITIES;
import static dev.portal.db.Tables.RELATIONS;
import static org.jooq.impl.DSL.and;
import static org.jooq.impl.DSL.arrayOverlap;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.not;
import static org.jooq.impl.DSL.or;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.trueCondition;

/**
 * Turns an {@link EntityFilter} into a condition on {@code entities}: field tests become tests of
 * the entity's filter terms ({@code search_terms}, under a GIN index), {@code relations.<type>}
 * tests semi-joins on the relations table.
 */
final class FilterConditions {

    static final String RELATIONS_PREFIX = "relations.";

    private static final Entities E = ENTITIES;
    private static final Relations R = RELATIONS.as("filter_relations");

    private FilterConditions() {
    }

    static Condition of(EntityFilter filter) {
        return switch (filter) {
            case EntityFilter.All all -> all.filters().isEmpty() ? trueCondition() : allOf(all.filters());
            case EntityFilter.Any any -> any.filters().isEmpty() ? falseCondition() : or(conditions(any.filters()));
            case EntityFilter.Not negated -> not(of(negated.filter()));
            case EntityFilter.Equals equals -> equals.key().startsWith(RELATIONS_PREFIX)
                    ? E.ENTITY_REF.in(select(R.SOURCE_ENTITY_REF).from(R)
                            .where(lower(R.TYPE).eq(relationType(equals.key())))
                            .and(R.TARGET_ENTITY_REF.in(equals.values())))
                    : equals.values().size() == 1
                    ? E.SEARCH_TERMS.contains(new String[] {FilterTerms.of(equals.key(), equals.values().iterator().next())})
                    : arrayOverlap(E.SEARCH_TERMS, equals.values().stream()
                            .map(value -> FilterTerms.of(equals.key(), value)).toArray(String[]::new));
            case EntityFilter.Exists exists -> exists.key().startsWith(RELATIONS_PREFIX)
                    ? E.ENTITY_REF.in(select(R.SOURCE_ENTITY_REF).from(R)
                            .where(lower(R.TYPE).eq(relationType(exists.key()))))
                    : E.SEARCH_TERMS.contains(new String[] {FilterTerms.of(exists.key())});
        };
    }

    /**
     * The terms of a filter that is nothing but an AND of single-term conditions (a key exists, a
     * key has one value), which {@link #of} turns into one {@code search_terms @> terms}; empty
     * for a filter that matches everything; nothing when the filter needs other SQL.
     */
    static Optional<List<String>> terms(EntityFilter filter) {
        List<String> terms = new ArrayList<>();
        for (EntityFilter part : filter instanceof EntityFilter.All all ? flattened(all.filters()) : List.of(filter)) {
            String term = term(part);
            if (term == null) {
                return Optional.empty();
            }
            terms.add(term);
        }
        return Optional.of(terms);
    }

    /**
     * The kind (lower-cased) that an AND of plain terms requires through a {@code kind} term, if
     * it names one. The filter's terms already require it; a page in id order also asks it of
     * {@code lower(kind)}, which an index keeps in id order.
     */
    static Optional<String> kind(EntityFilter filter) {
        for (EntityFilter part : filter instanceof EntityFilter.All all ? flattened(all.filters()) : List.of(filter)) {
            if (part instanceof EntityFilter.Equals equals && equals.key().equals("kind") && equals.values().size() == 1) {
                return Optional.of(equals.values().iterator().next());
            }
        }
        return Optional.empty();
    }

    /** The filter term of a single-term condition, or {@code null}. */
    private static String term(EntityFilter filter) {
        return switch (filter) {
            case EntityFilter.Exists exists when !exists.key().startsWith(RELATIONS_PREFIX) -> FilterTerms.of(exists.key());
            case EntityFilter.Equals equals when !equals.key().startsWith(RELATIONS_PREFIX)
                    && equals.values().size() == 1 -> FilterTerms.of(equals.key(), equals.values().iterator().next());
            default -> null;
        };
    }

    /** The conditions of an AND, with nested ANDs opened up (an AND of ANDs is one AND). */
    private static List<EntityFilter> flattened(List<EntityFilter> filters) {
        List<EntityFilter> flat = new ArrayList<>();
        for (EntityFilter filter : filters) {
            if (filter instanceof EntityFilter.All all) {
                flat.addAll(flattened(all.filters()));
            } else {
                flat.add(filter);
            }
        }
        return flat;
    }

    /**
     * An AND: the single-term conditions (key exists, key has one value) go into one {@code @>}, a
     * single GIN look-up that intersects their posting lists; the rest are ANDed beside it.
     */
    private static Condition allOf(List<EntityFilter> filters) {
        List<String> terms = new ArrayList<>();
        List<Condition> others = new ArrayList<>();
        for (EntityFilter filter : flattened(filters)) {
            String term = term(filter);
            if (term != null) {
                terms.add(term);
            } else {
                others.add(of(filter));
            }
        }
        if (!terms.isEmpty()) {
            others.addFirst(E.SEARCH_TERMS.contains(terms.toArray(String[]::new)));
        }
        return and(others);
    }

    /** The lower-cased relation type of a {@code relations.<type>} key. */
    static String relationType(String key) {
        return key.substring(RELATIONS_PREFIX.length());
    }

    private static List<Condition> conditions(List<EntityFilter> filters) {
        return filters.stream().map(FilterConditions::of).toList();
    }
}
