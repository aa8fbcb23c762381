package dev.portal.ui.catalog;

import dev.portal.catalog.query.EntityFilter;
import dev.portal.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogSearchTests {

    @Test
    void readsTermFacetsSortAndCursorFromTheUrl() {
        CatalogSearch search = CatalogSearch.from(params("q=pay&kind=Component&kind=API&owner=payments&sort=title&dir=desc&cursor=abc"));

        assertThat(search.term()).isEqualTo("pay");
        assertThat(search.values(CatalogSearch.Facet.KIND)).containsExactly("Component", "API");
        assertThat(search.values(CatalogSearch.Facet.OWNER)).containsExactly("group:default/payments");
        assertThat(search.sort()).isEqualTo(CatalogSearch.Sort.TITLE);
        assertThat(search.descending()).isTrue();
        assertThat(search.cursor()).isEqualTo("abc");
    }

    @Test
    void writesTheWholeQueryBackSoThatReadingItGivesTheSameSearch() {
        CatalogSearch search = CatalogSearch.from(params("q=c%2B%2B+service&tag=c%2B%2B&kind=Component&sort=owner"));

        assertThat(search.term()).isEqualTo("c++ service");
        assertThat(search.query()).isEqualTo("q=c%2B%2B+service&kind=Component&tag=c%2B%2B&sort=owner");
        assertThat(CatalogSearch.from(params(search.query()))).isEqualTo(search);
    }

    @Test
    void togglesAFacetValueOnAndOffAndDropsTheCursor() {
        CatalogSearch search = CatalogSearch.from(params("kind=Component&cursor=abc"));

        assertThat(search.toggled(CatalogSearch.Facet.KIND, "API")).isEqualTo("kind=Component&kind=API");
        assertThat(search.toggled(CatalogSearch.Facet.KIND, "component")).isEmpty();
        assertThat(search.at("next")).isEqualTo("kind=Component&cursor=next");
        assertThat(search.sortedBy(CatalogSearch.Sort.NAME, true)).isEqualTo("kind=Component&dir=desc");
    }

    @Test
    void filtersOnEverySelectedFacetButTheOneAsked() {
        CatalogSearch search = CatalogSearch.from(params("kind=Component&lifecycle=production&lifecycle=experimental"));

        assertThat(search.filter(null)).isEqualTo(new EntityFilter.All(List.of(
                EntityFilter.equalTo("kind", "Component"),
                EntityFilter.equalTo("spec.lifecycle", "production", "experimental"))));
        assertThat(search.filter(CatalogSearch.Facet.KIND)).isEqualTo(new EntityFilter.All(List.of(
                EntityFilter.equalTo("spec.lifecycle", "production", "experimental"))));
    }

    @Test
    void refusesSortsItDoesNotOfferAndTermsTooLongForAPerson() {
        assertThatThrownBy(() -> CatalogSearch.from(params("sort=uid"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("name, title or owner");
        assertThatThrownBy(() -> CatalogSearch.from(params("q=" + "x".repeat(201))))
                .isInstanceOf(InvalidInputException.class);
    }

    private static MultiValueMap<String, String> params(String query) {
        MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
        UriComponentsBuilder.fromUriString("/?" + query).build().getQueryParams().forEach((name, values) ->
                values.forEach(value -> params.add(name, value == null ? "" : java.net.URLDecoder.decode(value,
                        java.nio.charset.StandardCharsets.UTF_8))));
        return params;
    }
}
