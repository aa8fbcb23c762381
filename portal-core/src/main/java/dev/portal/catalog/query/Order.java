package dev.portal.catalog.query;

import dev.portal.catalog.model.CatalogText;

import java.util.Locale;

/**
 * One sort key of a read: a dotted entity field, compared by its lower-cased value; ties are broken
 * by uid in the same direction.
 *
 * @param field the lower-cased dotted path, e.g. {@code metadata.name}
 * @param ascending whether smaller values come first
 */
public record Order(String field, boolean ascending) {

    public Order {
        if (field == null || field.isBlank()) {
            throw new InvalidQueryException("an order field must not be empty");
        }
        field = CatalogText.require("an order field", field).trim().toLowerCase(Locale.ROOT);
    }

    public static Order asc(String field) {
        return new Order(field, true);
    }

    public static Order desc(String field) {
        return new Order(field, false);
    }

    /** Reads {@code GET /entities}' {@code order=asc:metadata.name} form. */
    public static Order parse(String order) {
        int colon = order == null ? -1 : order.indexOf(':');
        if (colon < 0) {
            throw new InvalidQueryException("invalid order '" + order + "'; write asc:<field> or desc:<field>");
        }
        return new Order(order.substring(colon + 1), direction(order.substring(0, colon), order));
    }

    /** Reads {@code /entities/by-query}' {@code orderField=metadata.name,asc} form. */
    public static Order parseOrderField(String orderField) {
        int comma = orderField == null ? -1 : orderField.lastIndexOf(',');
        if (comma < 0) {
            return new Order(orderField, true);
        }
        return new Order(orderField.substring(0, comma), direction(orderField.substring(comma + 1), orderField));
    }

    private static boolean direction(String direction, String whole) {
        return switch (direction.trim().toLowerCase(Locale.ROOT)) {
            case "asc" -> true;
            case "desc" -> false;
            default -> throw new InvalidQueryException("invalid order '" + whole + "'; the direction must be asc or desc");
        };
    }
}
