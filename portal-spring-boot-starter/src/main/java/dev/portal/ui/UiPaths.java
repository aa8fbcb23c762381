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

    /** A template's wizard, {@code /create/<namespace>/<name>}. */
    public String createTemplate(EntityRef template) {
        return base + "/create/" + segment(template.namespace()) + "/" + segment(template.name());
    }

    /** A run's page. */
    public String run(java.util.UUID id) {
        return base + "/runs/" + id;
    }

    /** A run list with a ready-made query string (already encoded), or none. */
    public String runs(String queryString) {
        return queryString == null || queryString.isEmpty() ? runs() : runs() + "?" + queryString;
    }

    /** An approval task's page. */
    public String approval(String taskId) {
        return base + "/approvals/" + UriUtils.encodePathSegment(taskId, StandardCharsets.UTF_8);
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
