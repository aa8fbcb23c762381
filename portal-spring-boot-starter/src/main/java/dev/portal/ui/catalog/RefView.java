package dev.portal.ui.catalog;

/**
 * An entity another one refers to.
 *
 * @param href its page
 * @param label its title, else a short ref ({@code name}, or {@code namespace/name} outside default)
 * @param kind its kind as written
 * @param description its description, or {@code null}
 * @param exists whether the catalog has it (a dangling ref does not)
 */
public record RefView(String href, String label, String kind, String description, boolean exists) {
}
