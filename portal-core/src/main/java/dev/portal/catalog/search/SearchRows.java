package dev.portal.catalog.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.catalog.model.Entity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Flattens an entity into the rows of the filter index, the way Backstage's
 * {@code buildEntitySearch} does, so that filters written for Backstage match the same entities:
 * every scalar becomes {@code dotted.path = value} with key and value lower-cased; an array of
 * scalars yields one row per element plus {@code path.<element> = true} for string elements; objects
 * recurse. {@code metadata.name}, {@code namespace} (defaulted) and {@code uid} are always present.
 *
 * <p>Relations are deliberately absent: {@code relations.<type>} filters are answered from the
 * relations table, which already holds both directions.
 */
public final class SearchRows {

    /** Keys longer than this are dropped, as in Backstage. */
    public static final int MAX_KEY_LENGTH = 200;
    /** Values longer than this keep their key (for existence) but lose the value, as in Backstage. */
    public static final int MAX_VALUE_LENGTH = 200;

    // Skipped while walking: either added explicitly below or not entity content at all.
    private static final Set<String> SPECIAL_KEYS = Set.of("attachments", "relations", "status",
            "metadata.name", "metadata.namespace", "metadata.uid", "metadata.etag");

    private SearchRows() {
    }

    /** The search rows of {@code entity} stored under {@code uid}. */
    public static List<SearchRow> of(Entity entity, UUID uid) {
        List<SearchRow> rows = new ArrayList<>(contentRows(entity));
        rows.add(uidRow(uid));
        return rows;
    }

    /** Every row of {@code entity} except its uid, for callers that prepare rows before the uid is known. */
    public static List<SearchRow> contentRows(Entity entity) {
        List<SearchRow> rows = new ArrayList<>(48);
        visit("", entity.json(), rows);
        add(rows, "metadata.name", entity.name());
        add(rows, "metadata.namespace", entity.namespace());
        return rows;
    }

    /** The {@code metadata.uid} row. */
    public static SearchRow uidRow(UUID uid) {
        String value = uid.toString();
        return new SearchRow("metadata.uid", value, value);
    }

    private static void visit(String path, JsonNode node, List<SearchRow> rows) {
        if (SPECIAL_KEYS.contains(path)) {
            return;
        }
        if (node.isNull()) {
            add(rows, path, null);
        } else if (node.isValueNode()) {
            add(rows, path, node.asText());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                visit(path, item, rows);
                if (item.isTextual()) {
                    add(rows, path + '.' + item.asText(), "true");
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                visit(path.isEmpty() ? field.getKey() : path + '.' + field.getKey(), field.getValue(), rows);
            }
        }
    }

    private static void add(List<SearchRow> rows, String rawKey, String rawValue) {
        String key = rawKey.toLowerCase(Locale.ROOT);
        if (key.length() > MAX_KEY_LENGTH) {
            return;
        }
        if (rawValue == null || rawValue.length() > MAX_VALUE_LENGTH) {
            rows.add(new SearchRow(key, null, null));
        } else {
            rows.add(new SearchRow(key, rawValue.toLowerCase(Locale.ROOT), rawValue));
        }
    }
}
