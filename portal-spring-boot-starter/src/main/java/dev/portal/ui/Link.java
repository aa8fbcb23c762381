package dev.portal.ui;

/**
 * A link as pages show it.
 *
 * @param href where it goes, already safe to put into {@code href} (the UI's own paths, or http(s)
 *     URLs checked by the view builders)
 * @param label what it says
 */
public record Link(String href, String label) {
}
