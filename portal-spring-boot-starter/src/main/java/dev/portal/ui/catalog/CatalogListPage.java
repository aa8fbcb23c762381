package dev.portal.ui.catalog;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;

import java.util.List;

/**
 * The catalog list: the search box, facets with counts, the active filters, one page of entities
 * and the links to the neighbouring pages.
 *
 * @param total how many entities the page's query matches (the ones lacking the sort field left out)
 * @param omitted how many matching entities the sort leaves out because they lack its field
 * @param searchFields the selections and sort, carried as hidden fields by the search form
 * @param prevHref the previous page, or {@code null} on the first
 * @param nextHref the next page, or {@code null} on the last
 * @param registerHref the register page, or {@code null} when the caller may not register
 */
public record CatalogListPage(UiShell shell, String term, List<FacetView> facets, List<ActiveFilter> active,
                              String clearHref, List<EntityRow> rows, long total, long omitted, String omittedSort,
                              List<SortOption> sorts, Link direction, List<Hidden> searchFields, String prevHref,
                              String nextHref, String registerHref) {

    /** One facet of the sidebar: its most frequent values, the rest behind "more". */
    public record FacetView(String label, List<FacetValue> top, List<FacetValue> more) {
    }

    /**
     * @param href the list with this value toggled
     */
    public record FacetValue(String label, long count, boolean selected, String href) {
    }

    /** A filter in force, e.g. {@code Kind: Component}, with the link that removes it. */
    public record ActiveFilter(String label, String removeHref) {
    }

    public record SortOption(String label, String href, boolean current) {
    }

    public record Hidden(String name, String value) {
    }
}
