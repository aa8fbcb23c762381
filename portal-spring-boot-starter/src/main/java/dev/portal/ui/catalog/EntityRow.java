package dev.portal.ui.catalog;

import dev.portal.ui.Link;

import java.util.List;

/**
 * An entity as a list shows it.
 *
 * @param title the title, else the name
 * @param name the name when the title differs from it, else {@code null}
 * @param owner the owner's page, or {@code null} for an entity without owner
 */
public record EntityRow(String href, String title, String name, String kind, String type, Link owner,
                        String lifecycle, String description, List<String> tags) {
}
