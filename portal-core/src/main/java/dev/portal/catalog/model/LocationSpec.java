package dev.portal.catalog.model;

import java.util.Objects;

/**
 * Where descriptors are read from: {@code file} (a path on this machine) or {@code url} (a file in
 * a git repository, {@code <repository URL>/-/blob/<branch>/<path>}).
 *
 * @param type {@code file} or {@code url}
 * @param target the path or URL
 * @throws dev.portal.error.InvalidInputException when the type or target holds a control character
 *     ({@link CatalogText})
 */
public record LocationSpec(String type, String target) {

    public static final String FILE = "file";
    public static final String URL = "url";

    public LocationSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        if (target.isBlank()) {
            throw new IllegalArgumentException("a location target must not be empty");
        }
        // Stored, read and shown in errors: one with a control character can do none of these.
        CatalogText.require("location type", type);
        CatalogText.require("location target", target);
    }

    /** {@code type:target}, the form Backstage's managed-by-location annotations use. */
    public String ref() {
        return type + ":" + target;
    }

    @Override
    public String toString() {
        return ref();
    }
}
