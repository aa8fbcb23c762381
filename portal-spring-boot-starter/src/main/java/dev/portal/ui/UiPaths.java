package dev.portal.ui;

import dev.portal.catalog.model.EntityRef;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The UI's own URLs, below {@code <context path><portal.ui.path>}: one place that knows how a page
 * is addressed, so templates never build paths from pieces.
 *
 * @param base the context path and the UI's path, e.g. {@code /portal}; never ends with {@code /}
 */
public record UiPaths(String base) {

    public String home() {
        return base;
    }

    public String catalog() {
        return base + "/catalog";
    }

    public String register() {
        return base + "/register";
    }

    public String create() {
        return base + "/create";
    }

    public String runs() {
        return base + "/runs";
    }

    public String approvals() {
        return base + "/approvals";
    }

    /** The entity page, {@code /catalog/<namespace>/<kind>/<name>} as in Backstage, lower-cased. */
    public String entity(EntityRef ref) {
        return base + "/catalog/" + segment(ref.namespace()) + "/" + segment(ref.kind()) + "/" + segment(ref.name());
    }

    /** A catalog list URL with a ready-made query string (already encoded), or none. */
    public String catalog(String queryString) {
        return queryString == null || queryString.isEmpty() ? catalog() : catalog() + "?" + queryString;
    }

    public String asset(String versionedName) {
        return base + "/assets/" + versionedName;
    }

    private static String segment(String value) {
        return UriUtils.encodePathSegment(value.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8);
    }
}
