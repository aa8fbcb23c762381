package dev.portal.catalog.query;

import dev.portal.catalog.model.CatalogText;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A cursor-paged read, as {@code /entities/by-query} takes it: either an initial request (filter,
 * at most one order field, full-text term, offset) or a follow-up request that carries only a
 * cursor from a previous page (and optionally another limit).
 *
 * @param filter which entities; ignored when a cursor is given
 * @param order the sort field, or {@code null} for uid order; entities lacking it are left out
 * @param fullTextTerm a case-insensitive substring to look for, or {@code null} for none
 * @param fullTextFields the fields searched for the term; empty means the order field, or
 *     {@code metadata.uid} without one
 * @param limit the page size, or {@code null} for {@link #DEFAULT_LIMIT}
 * @param offset how many matches to skip on the initial page
 * @param cursor a {@code nextCursor} or {@code prevCursor} of an earlier page, or {@code null}
 */
public record EntityQuery(EntityFilter filter, Order order, String fullTextTerm, List<String> fullTextFields,
                          Integer limit, int offset, String cursor) {

    /** The page size when none is asked for, as in Backstage. */
    public static final int DEFAULT_LIMIT = 200;

    public EntityQuery {
        filter = filter == null ? EntityFilter.everything() : filter;
        fullTextTerm = fullTextTerm == null || fullTextTerm.isBlank() ? null
                : CatalogText.require("the full-text term", fullTextTerm).trim();
        fullTextFields = fullTextFields == null ? List.of()
                : fullTextFields.stream().map(EntityQuery::fullTextField).toList();
        if (limit != null && limit < 0) {
            throw new InvalidQueryException("limit must not be negative, got " + limit);
        }
        if (offset < 0) {
            throw new InvalidQueryException("offset must not be negative, got " + offset);
        }
    }

    private static String fullTextField(String field) {
        if (field == null || field.isBlank()) {
            throw new InvalidQueryException("full-text fields must not be empty");
        }
        return CatalogText.require("a full-text field", field).trim().toLowerCase(Locale.ROOT);
    }

    /** An initial request for the entities matching {@code filter}, in uid order. */
    public static EntityQuery of(EntityFilter filter) {
        return new EntityQuery(filter, null, null, List.of(), null, 0, null);
    }

    /** A follow-up request for the page a cursor points at. */
    public static EntityQuery fromCursor(String cursor, Integer limit) {
        return new EntityQuery(null, null, null, List.of(), limit, 0, cursor);
    }

    public EntityQuery orderBy(Order order) {
        return new EntityQuery(filter, order, fullTextTerm, fullTextFields, limit, offset, cursor);
    }

    public EntityQuery fullText(String term, List<String> fields) {
        return new EntityQuery(filter, order, term, fields, limit, offset, cursor);
    }

    public EntityQuery limit(Integer limit) {
        return new EntityQuery(filter, order, fullTextTerm, fullTextFields, limit, offset, cursor);
    }

    public EntityQuery offset(int offset) {
        return new EntityQuery(filter, order, fullTextTerm, fullTextFields, limit, offset, cursor);
    }

    public Optional<Order> orderField() {
        return Optional.ofNullable(order);
    }

    /** The fields the full-text term is looked for in, defaults applied. */
    public List<String> effectiveFullTextFields() {
        if (!fullTextFields.isEmpty()) {
            return fullTextFields;
        }
        return List.of(order == null ? "metadata.uid" : order.field());
    }
}
