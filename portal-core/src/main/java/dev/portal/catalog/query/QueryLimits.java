package dev.portal.catalog.query;

import dev.portal.catalog.model.CatalogText;
import dev.portal.error.InvalidInputException;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How much one read of the catalog may ask of the database. Reads are open to anonymous callers
 * (Backstage's default), and the cost of a query grows with what the caller sends: a predicate of
 * thousands of {@code $any} items once kept two PostgreSQL backends busy for an hour. A read that
 * breaks one of these limits is refused before it reaches the database with an
 * {@link InvalidInputException} naming the limit; a read within them that still runs longer than
 * {@link #statementTimeout()} is cancelled by PostgreSQL.
 *
 * @param maxFilterItems how many items one filter may have: every {@code $all}, {@code $any} and
 *     {@code $not}, every condition and every value of a condition count once (a {@code filter=}
 *     parameter {@code kind=component,spec.type=service} has five: an AND, two conditions, two
 *     values). For {@code /entities/by-refs} the filter and the predicate count together
 * @param maxFilterDepth how deeply {@code $all}, {@code $any} and {@code $not} may nest
 * @param maxOrderFields how many sort fields one read may have
 * @param maxFields how many paths one {@code fields} projection may list
 * @param maxFacets how many facets one facet request may ask for; each is counted over the whole
 *     filtered catalog
 * @param maxFullTextLength the longest full-text term, in characters
 * @param maxFullTextFields how many fields one full-text term may be looked for in
 * @param maxRefs how many entity refs one {@code /entities/by-refs} request may name
 * @param statementTimeout how long one catalog read (lists, queries, facets, by-refs) may run in
 *     PostgreSQL before it is cancelled; PostgreSQL's JIT compiler is switched off for these
 *     reads, since a compilation can neither be cancelled nor pay for itself on a query this size
 */
public record QueryLimits(int maxFilterItems, int maxFilterDepth, int maxOrderFields, int maxFields, int maxFacets,
                          int maxFullTextLength, int maxFullTextFields, int maxRefs, Duration statementTimeout) {

    public QueryLimits {
        requirePositive(maxFilterItems, "maxFilterItems");
        requirePositive(maxFilterDepth, "maxFilterDepth");
        requirePositive(maxOrderFields, "maxOrderFields");
        requirePositive(maxFields, "maxFields");
        requirePositive(maxFacets, "maxFacets");
        requirePositive(maxFullTextLength, "maxFullTextLength");
        requirePositive(maxFullTextFields, "maxFullTextFields");
        requirePositive(maxRefs, "maxRefs");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        if (statementTimeout.toMillis() < 1 || statementTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("statementTimeout must be between 1 ms and 24 days, was "
                    + statementTimeout);
        }
    }

    /**
     * Filters of 200 items nested 10 deep, 10 sort fields, 100 fields, 20 facets, full-text terms of
     * 200 characters in up to 20 fields, 1,000 refs per by-refs request, 10 s per read. Backstage's
     * own frontend stays far below each of these.
     */
    public static QueryLimits defaults() {
        return new QueryLimits(200, 10, 10, 100, 20, 200, 20, 1000, Duration.ofSeconds(10));
    }

    public QueryLimits withMaxFilterItems(int items) {
        return new QueryLimits(items, maxFilterDepth, maxOrderFields, maxFields, maxFacets, maxFullTextLength,
                maxFullTextFields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxFilterDepth(int depth) {
        return new QueryLimits(maxFilterItems, depth, maxOrderFields, maxFields, maxFacets, maxFullTextLength,
                maxFullTextFields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxOrderFields(int fields) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, fields, maxFields, maxFacets, maxFullTextLength,
                maxFullTextFields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxFields(int fields) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, maxOrderFields, fields, maxFacets, maxFullTextLength,
                maxFullTextFields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxFacets(int facets) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, maxOrderFields, maxFields, facets, maxFullTextLength,
                maxFullTextFields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxFullTextLength(int length) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, maxOrderFields, maxFields, maxFacets, length,
                maxFullTextFields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxFullTextFields(int fields) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, maxOrderFields, maxFields, maxFacets, maxFullTextLength,
                fields, maxRefs, statementTimeout);
    }

    public QueryLimits withMaxRefs(int refs) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, maxOrderFields, maxFields, maxFacets, maxFullTextLength,
                maxFullTextFields, refs, statementTimeout);
    }

    public QueryLimits withStatementTimeout(Duration timeout) {
        return new QueryLimits(maxFilterItems, maxFilterDepth, maxOrderFields, maxFields, maxFacets, maxFullTextLength,
                maxFullTextFields, maxRefs, timeout);
    }

    /**
     * Checks a filter's size and depth.
     *
     * @throws InvalidInputException naming the limit the filter breaks
     */
    public void checkFilter(EntityFilter filter) {
        if (count(filter, 1) > maxFilterItems) {
            throw new InvalidInputException("the filter has more than " + maxFilterItems + " items (operators,"
                    + " conditions and values), the limit for one read (QueryLimits.maxFilterItems,"
                    + " portal.catalog.api.max-filter-items)");
        }
    }

    /** Checks the sort fields of a read. */
    public void checkOrder(List<Order> order) {
        if (order.size() > maxOrderFields) {
            throw new InvalidInputException("the read has " + order.size() + " sort fields; at most " + maxOrderFields
                    + " are allowed (QueryLimits.maxOrderFields, portal.catalog.api.max-order-fields)");
        }
    }

    /** Checks the paths of a {@code fields} projection. */
    public void checkFields(Collection<String> fields) {
        if (fields != null && fields.size() > maxFields) {
            throw new InvalidInputException("fields lists " + fields.size() + " paths; at most " + maxFields
                    + " are allowed (QueryLimits.maxFields, portal.catalog.api.max-fields)");
        }
    }

    /** Checks the keys of a facet request: how many, and that each is text the catalog can hold. */
    public void checkFacets(Collection<String> facets) {
        if (facets.size() > maxFacets) {
            throw new InvalidInputException("the request asks for " + facets.size() + " facets; at most " + maxFacets
                    + " are allowed (QueryLimits.maxFacets, portal.catalog.api.max-facets)");
        }
        facets.forEach(facet -> CatalogText.require("a facet", facet));
    }

    /** Checks the full-text part of a read: the term's length and the number of fields. */
    public void checkFullText(String term, List<String> fields) {
        if (term != null && term.length() > maxFullTextLength) {
            throw new InvalidInputException("the full-text term has " + term.length() + " characters; at most "
                    + maxFullTextLength + " are allowed (QueryLimits.maxFullTextLength,"
                    + " portal.catalog.api.max-full-text-length)");
        }
        if (fields.size() > maxFullTextFields) {
            throw new InvalidInputException("the full-text term is to be looked for in " + fields.size()
                    + " fields; at most " + maxFullTextFields + " are allowed (QueryLimits.maxFullTextFields,"
                    + " portal.catalog.api.max-full-text-fields)");
        }
    }

    /** Checks how many refs one by-refs request names. */
    public void checkRefs(Collection<?> refs) {
        if (refs.size() > maxRefs) {
            throw new InvalidInputException("the request names " + refs.size() + " entity refs; at most " + maxRefs
                    + " are allowed per request (QueryLimits.maxRefs, portal.catalog.api.max-refs)");
        }
    }

    /** The items of {@code filter}, at {@code depth} (1 at the root); stops counting past the limit. */
    private int count(EntityFilter filter, int depth) {
        return switch (filter) {
            case EntityFilter.All all -> 1 + countAll(all.filters(), depth);
            case EntityFilter.Any any -> 1 + countAll(any.filters(), depth);
            case EntityFilter.Not not -> {
                checkDepth(depth);
                yield 1 + count(not.filter(), depth + 1);
            }
            case EntityFilter.Equals equals -> 1 + equals.values().size();
            case EntityFilter.Exists exists -> 1;
        };
    }

    private int countAll(List<EntityFilter> filters, int depth) {
        if (filters.isEmpty()) {
            return 0;
        }
        checkDepth(depth);
        int items = 0;
        for (EntityFilter part : filters) {
            items += count(part, depth + 1);
            if (items > maxFilterItems) {
                return items;
            }
        }
        return items;
    }

    private void checkDepth(int depth) {
        if (depth > maxFilterDepth) {
            throw new InvalidInputException("the filter nests $all, $any and $not more than " + maxFilterDepth
                    + " levels deep (QueryLimits.maxFilterDepth, portal.catalog.api.max-filter-depth)");
        }
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
