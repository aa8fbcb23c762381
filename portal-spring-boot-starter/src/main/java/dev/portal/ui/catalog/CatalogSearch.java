package dev.portal.ui.catalog;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.Order;
import dev.portal.error.InvalidInputException;
import org.springframework.util.MultiValueMap;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * What the catalog list shows, read from its URL and written back into the URLs of its links: the
 * search term, the selected values of each facet, the sort and the page (a cursor). The URL carries
 * the whole query, so any list can be shared as a link.
 *
 * @param term the full-text term, or empty
 * @param selected per facet, the values picked (any of them matches)
 * @param cursor the page's cursor from a previous page's link, or {@code null} for the first page
 */
public record CatalogSearch(String term, Map<Facet, List<String>> selected, Sort sort, boolean descending,
                            String cursor) {

    /** The fields a search term is looked for in. */
    public static final List<String> FULL_TEXT_FIELDS = List.of("metadata.name", "metadata.title",
            "metadata.description", "metadata.tags", "spec.profile.displayname");

    static final int MAX_TERM_LENGTH = 200;
    static final int MAX_VALUES_PER_FACET = 50;

    /** The facets of the list, in the order the sidebar shows them. */
    public enum Facet {
        KIND("kind", "kind", "Kind"),
        TYPE("type", "spec.type", "Type"),
        OWNER("owner", "relations.ownedBy", "Owner"),
        LIFECYCLE("lifecycle", "spec.lifecycle", "Lifecycle"),
        NAMESPACE("namespace", "metadata.namespace", "Namespace"),
        TAG("tag", "metadata.tags", "Tags");

        private final String param;
        private final String key;
        private final String label;

        Facet(String param, String key, String label) {
            this.param = param;
            this.key = key;
            this.label = label;
        }

        /** The URL parameter, e.g. {@code owner}. */
        public String param() {
            return param;
        }

        /** The catalog field counted and filtered, e.g. {@code relations.ownedBy}. */
        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    /** The orders the list offers. */
    public enum Sort {
        NAME("name", "metadata.name", "Name"),
        TITLE("title", "metadata.title", "Title"),
        OWNER("owner", "spec.owner", "Owner");

        private final String param;
        private final String field;
        private final String label;

        Sort(String param, String field, String label) {
            this.param = param;
            this.field = field;
            this.label = label;
        }

        public String param() {
            return param;
        }

        public String field() {
            return field;
        }

        public String label() {
            return label;
        }
    }

    public CatalogSearch {
        term = term == null ? "" : term.trim();
        Map<Facet, List<String>> copy = new EnumMap<>(Facet.class);
        selected.forEach((facet, values) -> {
            if (!values.isEmpty()) {
                copy.put(facet, List.copyOf(values));
            }
        });
        selected = copy;
        sort = sort == null ? Sort.NAME : sort;
        cursor = cursor == null || cursor.isBlank() ? null : cursor;
    }

    /** An empty search: every entity by name. */
    public static CatalogSearch everything() {
        return new CatalogSearch("", Map.of(), Sort.NAME, false, null);
    }

    /**
     * Reads the list's URL parameters.
     *
     * @throws InvalidInputException for a term or a facet selection too long to be a person's
     */
    public static CatalogSearch from(MultiValueMap<String, String> params) {
        String term = params.getFirst("q");
        if (term != null && term.length() > MAX_TERM_LENGTH) {
            throw new InvalidInputException("The search term is longer than " + MAX_TERM_LENGTH + " characters.");
        }
        Map<Facet, List<String>> selected = new EnumMap<>(Facet.class);
        for (Facet facet : Facet.values()) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : params.getOrDefault(facet.param(), List.of())) {
                if (value != null && !value.isBlank()) {
                    values.add(facet == Facet.OWNER ? ownerRef(value) : value.trim());
                }
            }
            if (values.size() > MAX_VALUES_PER_FACET) {
                throw new InvalidInputException("Pick at most " + MAX_VALUES_PER_FACET + " values of "
                        + facet.label().toLowerCase(Locale.ROOT) + ".");
            }
            selected.put(facet, List.copyOf(values));
        }
        Sort sort = Sort.NAME;
        String sortParam = params.getFirst("sort");
        if (sortParam != null && !sortParam.isBlank()) {
            sort = switch (sortParam.trim().toLowerCase(Locale.ROOT)) {
                case "name" -> Sort.NAME;
                case "title" -> Sort.TITLE;
                case "owner" -> Sort.OWNER;
                default -> throw new InvalidInputException("The list can be sorted by name, title or owner, not '"
                        + sortParam + "'.");
            };
        }
        boolean descending = "desc".equalsIgnoreCase(params.getFirst("dir"));
        return new CatalogSearch(term, selected, sort, descending, params.getFirst("cursor"));
    }

    /** Owners are refs; {@code payments} means {@code group:default/payments}, as in descriptors. */
    private static String ownerRef(String value) {
        return EntityRef.parse(value.trim(), "group", EntityRef.DEFAULT_NAMESPACE).canonical();
    }

    public List<String> values(Facet facet) {
        return selected.getOrDefault(facet, List.of());
    }

    public boolean isSelected(Facet facet, String value) {
        return values(facet).stream().anyMatch(selectedValue -> selectedValue.equalsIgnoreCase(value));
    }

    public boolean hasFilters() {
        return !term.isEmpty() || !selected.isEmpty();
    }

    /** The selections as a filter: each facet's values OR-ed, the facets AND-ed; {@code except} left out. */
    public EntityFilter filter(Facet except) {
        List<EntityFilter> parts = new ArrayList<>();
        selected.forEach((facet, values) -> {
            if (facet != except) {
                parts.add(EntityFilter.equalTo(facet.key(), values.toArray(String[]::new)));
            }
        });
        return new EntityFilter.All(parts);
    }

    public Order order() {
        return new Order(sort.field(), !descending);
    }

    // --- the same search, changed, as the query string of a link (page links start over at page one)

    public String query() {
        return queryString(params -> { });
    }

    public String toggled(Facet facet, String value) {
        return queryString(params -> {
            List<String> values = new ArrayList<>(values(facet));
            if (!values.removeIf(existing -> existing.equalsIgnoreCase(value))) {
                values.add(value);
            }
            params.put(facet.param(), values);
        });
    }

    public String withoutTerm() {
        return queryString(params -> params.remove("q"));
    }

    public String sortedBy(Sort newSort, boolean newDescending) {
        return queryString(params -> {
            params.put("sort", newSort == Sort.NAME ? List.of() : List.of(newSort.param()));
            params.put("dir", newDescending ? List.of("desc") : List.of());
        });
    }

    public String at(String pageCursor) {
        return queryString(params -> params.put("cursor", List.of(pageCursor)));
    }

    /** Only the sort, everything else cleared. */
    public String cleared() {
        return new CatalogSearch("", Map.of(), sort, descending, null).query();
    }

    private String queryString(Consumer<Map<String, List<String>>> change) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (!term.isEmpty()) {
            params.put("q", List.of(term));
        }
        selected.forEach((facet, values) -> params.put(facet.param(), values));
        if (sort != Sort.NAME) {
            params.put("sort", List.of(sort.param()));
        }
        if (descending) {
            params.put("dir", List.of("desc"));
        }
        change.accept(params);
        // Form encoding, as browsers submit the list's forms: a '+' in a value travels as %2B.
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, values) -> values.forEach(value ->
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return query.toString();
    }
}
