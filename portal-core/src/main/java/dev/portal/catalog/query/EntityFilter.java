package dev.portal.catalog.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.CatalogText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;

/**
 * Which entities a read wants, as a predicate tree over the flattened entity fields (see
 * {@code SearchRows}) and {@code relations.<type>}. Keys and values are lower-cased on construction,
 * so matching is case-insensitive. Both of Backstage's filter syntaxes map onto it:
 * {@link #parseBackstageFilters(List)} for {@code filter=} query parameters and
 * {@link #fromPredicate(JsonNode)} for predicate queries. Keys and values holding a control
 * character ({@link CatalogText}) are refused: no stored entity has one.
 */
public sealed interface EntityFilter {

    /** Matches when every part matches; with no parts, every entity. */
    record All(List<EntityFilter> filters) implements EntityFilter {
        public All {
            filters = List.copyOf(filters);
        }
    }

    /** Matches when at least one part matches; with no parts, no entity. */
    record Any(List<EntityFilter> filters) implements EntityFilter {
        public Any {
            filters = List.copyOf(filters);
        }
    }

    /** Matches when {@code filter} does not. */
    record Not(EntityFilter filter) implements EntityFilter {
    }

    /** Matches when the field {@code key} has one of {@code values} (for arrays: any element). */
    record Equals(String key, Set<String> values) implements EntityFilter {
        public Equals {
            key = normalizeKey(key);
            if (values.isEmpty()) {
                throw new InvalidQueryException("filter on '" + key + "' needs at least one value");
            }
            Set<String> lowered = new LinkedHashSet<>();
            for (String value : values) {
                if (!CatalogText.isStorable(value)) {
                    CatalogText.require("the value of filter key '" + key + "'", value);
                }
                lowered.add(value.toLowerCase(Locale.ROOT));
            }
            values = Set.copyOf(lowered);
        }
    }

    /** Matches when the entity has the field {@code key} at all. */
    record Exists(String key) implements EntityFilter {
        public Exists {
            key = normalizeKey(key);
        }
    }

    /** The filter that lets every entity through. */
    static EntityFilter everything() {
        return new All(List.of());
    }

    static EntityFilter all(EntityFilter... filters) {
        return new All(List.of(filters));
    }

    static EntityFilter any(EntityFilter... filters) {
        return new Any(List.of(filters));
    }

    static EntityFilter not(EntityFilter filter) {
        return new Not(filter);
    }

    static EntityFilter equalTo(String key, String... values) {
        return new Equals(key, new LinkedHashSet<>(List.of(values)));
    }

    static EntityFilter exists(String key) {
        return new Exists(key);
    }

    /**
     * Reads Backstage's {@code filter=} parameters: within one string, comma-separated
     * {@code key=value} conditions are AND-ed (a repeated key means one of its values, a bare key
     * means the field exists); the strings themselves are OR-ed. No strings: every entity.
     *
     * @throws InvalidQueryException for a condition without a key
     */
    static EntityFilter parseBackstageFilters(List<String> filters) {
        List<EntityFilter> alternatives = new ArrayList<>();
        for (String filter : filters) {
            Map<String, Set<String>> valuesByKey = new LinkedHashMap<>();
            Set<String> existing = new LinkedHashSet<>();
            for (String statement : filter.split(",")) {
                if (statement.isBlank()) {
                    continue;
                }
                int equalsAt = statement.indexOf('=');
                String key = (equalsAt < 0 ? statement : statement.substring(0, equalsAt)).trim();
                if (key.isEmpty()) {
                    throw new InvalidQueryException("invalid filter '" + filter + "': condition '"
                            + statement.trim() + "' has no key; write key=value or a bare key");
                }
                if (equalsAt < 0) {
                    existing.add(key.toLowerCase(Locale.ROOT));
                } else {
                    valuesByKey.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>())
                            .add(statement.substring(equalsAt + 1).trim());
                }
            }
            List<EntityFilter> conditions = new ArrayList<>();
            valuesByKey.forEach((key, values) -> conditions.add(new Equals(key, values)));
            existing.forEach(key -> conditions.add(new Exists(key)));
            alternatives.add(conditions.size() == 1 ? conditions.getFirst() : new All(conditions));
        }
        if (alternatives.isEmpty()) {
            return everything();
        }
        return alternatives.size() == 1 ? alternatives.getFirst() : new Any(alternatives);
    }

    /**
     * Reads a Backstage predicate query: {@code $all}, {@code $any}, {@code $not}, and field
     * conditions whose value is a scalar (case-insensitive equality) or an object with
     * {@code $exists}, {@code $in} or {@code $contains}. Several fields in one object are AND-ed.
     *
     * @throws InvalidQueryException naming the part that is not a valid predicate
     */
    static EntityFilter fromPredicate(JsonNode predicate) {
        if (predicate == null || !predicate.isObject()) {
            throw new InvalidQueryException("a query predicate must be a JSON object, got " + describe(predicate));
        }
        List<EntityFilter> conditions = new ArrayList<>();
        for (Entry<String, JsonNode> field : predicate.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("$")) {
                if (predicate.size() != 1) {
                    throw new InvalidQueryException("operator '" + key + "' must be the only key of its object");
                }
                return switch (key) {
                    case "$all" -> new All(predicates(key, value));
                    case "$any" -> new Any(predicates(key, value));
                    case "$not" -> new Not(fromPredicate(value));
                    default -> throw new InvalidQueryException("unknown operator '" + key
                            + "'; expected $all, $any or $not");
                };
            }
            conditions.add(fieldCondition(key, value));
        }
        if (conditions.isEmpty()) {
            return everything();
        }
        return conditions.size() == 1 ? conditions.getFirst() : new All(conditions);
    }

    /** This filter as a predicate query; {@link #fromPredicate(JsonNode)} reads it back unchanged. */
    default ObjectNode toPredicate() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode node = json.objectNode();
        switch (this) {
            case All all -> {
                ArrayNode array = node.putArray("$all");
                all.filters().forEach(f -> array.add(f.toPredicate()));
            }
            case Any any -> {
                ArrayNode array = node.putArray("$any");
                any.filters().forEach(f -> array.add(f.toPredicate()));
            }
            case Not not -> node.set("$not", not.filter().toPredicate());
            case Equals equals -> {
                ArrayNode in = node.putObject(equals.key()).putArray("$in");
                equals.values().stream().sorted().forEach(in::add);
            }
            case Exists exists -> node.putObject(exists.key()).put("$exists", true);
        }
        return node;
    }

    private static List<EntityFilter> predicates(String operator, JsonNode value) {
        if (!value.isArray()) {
            throw new InvalidQueryException("'" + operator + "' takes an array of predicates, got " + describe(value));
        }
        List<EntityFilter> filters = new ArrayList<>();
        value.forEach(item -> filters.add(fromPredicate(item)));
        return filters;
    }

    private static EntityFilter fieldCondition(String key, JsonNode value) {
        if (value.isValueNode() && !value.isNull()) {
            return new Equals(key, Set.of(value.asText()));
        }
        if (!value.isObject() || value.size() != 1) {
            throw new InvalidQueryException("the condition on '" + key + "' must be a value or an object with"
                    + " exactly one of $exists, $in, $contains; got " + describe(value));
        }
        Entry<String, JsonNode> operator = value.properties().iterator().next();
        JsonNode operand = operator.getValue();
        return switch (operator.getKey()) {
            case "$exists" -> {
                if (!operand.isBoolean()) {
                    throw new InvalidQueryException("'$exists' on '" + key + "' takes true or false, got " + describe(operand));
                }
                yield operand.booleanValue() ? new Exists(key) : new Not(new Exists(key));
            }
            case "$in" -> {
                if (!operand.isArray() || operand.isEmpty()) {
                    throw new InvalidQueryException("'$in' on '" + key + "' takes a non-empty array of values, got "
                            + describe(operand));
                }
                Set<String> values = new LinkedHashSet<>();
                for (JsonNode item : operand) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new InvalidQueryException("'$in' on '" + key + "' takes scalar values, got " + describe(item));
                    }
                    values.add(item.asText());
                }
                yield new Equals(key, values);
            }
            // Arrays are flattened into one search row per element, so "contains" is equality.
            case "$contains" -> {
                if (!operand.isValueNode() || operand.isNull()) {
                    throw new InvalidQueryException("'$contains' on '" + key + "' takes a scalar value, got "
                            + describe(operand));
                }
                yield new Equals(key, Set.of(operand.asText()));
            }
            default -> throw new InvalidQueryException("unknown operator '" + operator.getKey() + "' on '" + key
                    + "'; expected $exists, $in or $contains");
        };
    }

    private static String normalizeKey(String key) {
        if (key == null || key.isBlank()) {
            throw new InvalidQueryException("a filter key must not be empty");
        }
        // Stored text never holds a control character, and U+001F would join key and value into one term.
        return CatalogText.require("a filter key", key).trim().toLowerCase(Locale.ROOT);
    }

    private static String describe(JsonNode node) {
        return node == null ? "nothing" : node.toString();
    }
}
