package dev.portal.catalog.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Backstage's {@code fields=} parameter: keeps only the listed dotted subtrees of an entity, e.g.
 * {@code kind,metadata.name} gives {@code {"kind":…,"metadata":{"name":…}}}. Paths that do not
 * exist are simply absent.
 */
public final class FieldProjection {

    private FieldProjection() {
    }

    /** A new object holding only the {@code fields} of {@code entity}; all of it when none are listed. */
    public static ObjectNode apply(ObjectNode entity, List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            return entity.deepCopy();
        }
        ObjectNode result = entity.objectNode();
        for (String field : fields) {
            copy(entity, result, field.trim().split("\\."), 0);
        }
        return result;
    }

    private static void copy(ObjectNode from, ObjectNode to, String[] path, int depth) {
        JsonNode value = from.get(path[depth]);
        if (value == null || !reaches(value, path, depth + 1)) {
            return;
        }
        if (depth == path.length - 1) {
            to.set(path[depth], value.deepCopy());
        } else {
            JsonNode existing = to.get(path[depth]);
            ObjectNode target = existing instanceof ObjectNode object ? object : to.putObject(path[depth]);
            copy((ObjectNode) value, target, path, depth + 1);
        }
    }

    /** Whether the rest of {@code path} exists below {@code node}, so no empty parents are made. */
    private static boolean reaches(JsonNode node, String[] path, int depth) {
        for (int i = depth; i < path.length; i++) {
            if (!node.isObject() || !node.has(path[i])) {
                return false;
            }
            node = node.get(path[i]);
        }
        return true;
    }
}
