package dev.portal.ui.create;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;

import java.util.List;

/**
 * Create: the templates the caller may run, filterable by text, tag, owner and type.
 *
 * @param term the text filter as entered
 * @param filters the tag/owner/type filters in force, each a link that removes it
 * @param tags every tag of the offered templates, each a link that filters by it
 * @param clearHref the gallery without filters, or {@code null} when none are set
 * @param total how many templates are offered before filtering
 */
public record TemplateGalleryPage(UiShell shell, String term, List<Link> filters, List<Link> tags, String clearHref,
                                  List<Card> templates, int total) {

    /**
     * @param href the wizard
     * @param owner the owner's entity page, or {@code null} without an owner
     * @param catalogHref the Template entity's page
     * @param problem why the template cannot run, as the check when the catalog stored it found, or {@code null}
     */
    public record Card(String title, String description, String ref, String type, Link typeFilter, Link owner,
                       List<Link> tags, String href, String catalogHref, int steps, String problem) {
    }
}
