package dev.portal.ui;

import java.util.List;

/**
 * A section of the portal whose pages are not built yet (Create, Runs, Approvals): says so, and
 * where to do the same today.
 *
 * @param apiPaths the REST endpoints that do it meanwhile
 */
public record PlaceholderPage(UiShell shell, String heading, String text, List<String> apiPaths, List<Link> links) {
}
