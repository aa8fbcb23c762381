package dev.portal.scaffolder.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.action.RunInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a template sees: {@code $values} (the run's parameter values as plain maps, lists, strings,
 * numbers and booleans) and {@code $run}. Values are read-only: a template that tries to change
 * {@code $values} fails, so every file of a skeleton sees the same values.
 *
 * @param values the parameter values
 * @param run    the run
 */
public record TemplateModel(Map<String, Object> values, RunData run) {

    public TemplateModel {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(run, "run");
    }

    /**
     * The run's values with {@code extraValues}' top-level fields replacing (or adding to) them, as
     * a step's {@code values} input does.
     */
    public static TemplateModel of(RunInfo run, ObjectNode extraValues) {
        ObjectNode merged = run.values() == null ? JsonNodeFactory.instance.objectNode()
                : run.values().deepCopy();
        if (extraValues != null) {
            merged.setAll(extraValues.deepCopy());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) plain(merged);
        return new TemplateModel(values, RunData.of(run));
    }

    /**
     * A JSON value as the plain Java value templates work with: objects become read-only maps (in
     * the document's key order), arrays read-only lists, numbers {@code Integer}, {@code Long},
     * {@code BigInteger}, {@code Double} or {@code BigDecimal}, {@code null} stays {@code null}.
     */
    public static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(field -> map.put(field.getKey(), plain(field.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(plain(element)));
            return Collections.unmodifiableList(list);
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.asText();
    }
}
