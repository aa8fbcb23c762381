package dev.portal.catalog.query;

/**
 * How many entities have one value of a facet field.
 *
 * @param value the value as written in the entities (not lower-cased)
 * @param count the number of matching entities having that value
 */
public record FacetCount(String value, long count) {
}
