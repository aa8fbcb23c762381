package dev.portal.catalog.search;

/**
 * One row of the filter index: a flattened, lower-cased key of an entity and one of its values.
 *
 * @param key the lower-cased dotted path, e.g. {@code metadata.labels.tier} or {@code metadata.tags.java}
 * @param value the lower-cased value filters compare against, {@code null} for a JSON null or a value
 *     too long to index (the key still answers existence tests)
 * @param originalValue the value as written, for facets; {@code null} exactly when {@code value} is
 */
public record SearchRow(String key, String value, String originalValue) {
}
