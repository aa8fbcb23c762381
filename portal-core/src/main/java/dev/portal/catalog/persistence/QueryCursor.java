package dev.portal.catalog.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.CatalogText;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.InvalidQueryException;
import dev.portal.catalog.query.Order;
import dev.portal.error.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Where a by-query page starts, plus the query it belongs to: the filter (as a predicate), order
 * field, full-text term and page size, the direction of travel and the keyset position (sort value
 * and uid of the entity next to the page).
 *
 * <p>Encoded as url-safe base64 of a small JSON object. It deliberately has no {@code query} key:
 * Backstage's client then fetches follow-up pages with a plain GET carrying just the cursor.
 *
 * @param order the sort field, or {@code null} for uid order
 * @param fullTextTerm the full-text term, or {@code null}
 * @param backward whether the page lies before {@code position} (a prevCursor) or after it
 * @param position the entity next to the page, or {@code null} for the first page
 */
record QueryCursor(EntityFilter filter, Order order, String fullTextTerm, List<String> fullTextFields, int limit,
                   boolean backward, Position position) {

    /** The keyset position: the sort value (lower-cased, {@code null} in uid order) and uid of an entity. */
    record Position(String value, UUID uid) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    QueryCursor {
        fullTextFields = List.copyOf(fullTextFields);
    }

    /** The state of an initial request. */
    static QueryCursor initial(EntityQuery query) {
        return new QueryCursor(query.filter(), query.order(), query.fullTextTerm(), query.effectiveFullTextFields(),
                query.limit() == null ? EntityQuery.DEFAULT_LIMIT : query.limit(), false, null);
    }

    /** The same query, moved to the page on the given side of {@code position}. */
    QueryCursor at(Position position, boolean backward, int limit) {
        return new QueryCursor(filter, order, fullTextTerm, fullTextFields, limit, backward, position);
    }

    String encode() {
        ObjectNode json = JSON.createObjectNode();
        json.set("filter", filter.toPredicate());
        if (order != null) {
            json.put("orderField", order.field());
            json.put("order", order.ascending() ? "asc" : "desc");
        }
        if (fullTextTerm != null) {
            json.put("fullTextTerm", fullTextTerm);
        }
        fullTextFields.forEach(json.putArray("fullTextFields")::add);
        json.put("limit", limit);
        json.put("direction", backward ? "prev" : "next");
        json.put("uid", position.uid().toString());
        if (position.value() != null) {
            json.put("value", position.value());
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor made by {@link #encode()}.
     *
     * @throws InvalidQueryException naming what is wrong with it
     */
    static QueryCursor decode(String cursor) {
        JsonNode json;
        try {
            json = JSON.readTree(new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw invalid("it is not url-safe base64 of a JSON object");
        }
        if (json == null || !json.isObject()) {
            throw invalid("it is not url-safe base64 of a JSON object");
        }
        EntityFilter filter;
        try {
            filter = EntityFilter.fromPredicate(json.get("filter"));
        } catch (InvalidInputException e) {
            throw invalid("its filter is not valid: " + e.getMessage());
        }
        Order order = null;
        if (json.has("orderField")) {
            String direction = text(json, "order");
            if (!direction.equals("asc") && !direction.equals("desc")) {
                throw invalid("'order' must be asc or desc");
            }
            order = new Order(text(json, "orderField"), direction.equals("asc"));
        }
        String fullTextTerm = json.has("fullTextTerm") ? text(json, "fullTextTerm") : null;
        List<String> fullTextFields = new ArrayList<>();
        JsonNode fields = json.path("fullTextFields");
        if (!fields.isArray()) {
            throw invalid("'fullTextFields' must be an array");
        }
        for (JsonNode field : fields) {
            if (!field.isTextual() || CatalogText.problem(field.asText()).isPresent()) {
                throw invalid("'fullTextFields' must hold field names");
            }
            fullTextFields.add(field.asText());
        }
        JsonNode limit = json.get("limit");
        if (limit == null || !limit.canConvertToInt() || !limit.isIntegralNumber() || limit.intValue() < 0) {
            throw invalid("'limit' must be a non-negative integer");
        }
        String direction = text(json, "direction");
        if (!direction.equals("next") && !direction.equals("prev")) {
            throw invalid("'direction' must be next or prev");
        }
        UUID uid;
        try {
            uid = UUID.fromString(text(json, "uid"));
        } catch (IllegalArgumentException e) {
            throw invalid("'uid' is not a uid");
        }
        String value = json.has("value") ? text(json, "value") : null;
        if ((order == null) != (value == null)) {
            throw invalid("'value' must be present exactly when the cursor has an order field");
        }
        return new QueryCursor(filter, order, fullTextTerm, fullTextFields, limit.intValue(),
                direction.equals("prev"), new Position(value, uid));
    }

    private static String text(JsonNode json, String key) {
        JsonNode node = json.get(key);
        if (node == null || !node.isTextual()) {
            throw invalid("'" + key + "' is missing or not a string");
        }
        // Bound into the SQL: a value no stored text can hold is a forged cursor.
        CatalogText.problem(node.asText()).ifPresent(problem -> {
            throw invalid("'" + key + "' " + problem);
        });
        return node.asText();
    }

    private static InvalidQueryException invalid(String reason) {
        return new InvalidQueryException("invalid cursor: " + reason
                + "; pass a nextCursor or prevCursor exactly as a previous page returned it");
    }
}
