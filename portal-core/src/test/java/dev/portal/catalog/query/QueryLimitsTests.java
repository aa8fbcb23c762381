package dev.portal.catalog.query;

import dev.portal.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.portal.catalog.query.EntityFilter.all;
import static dev.portal.catalog.query.EntityFilter.any;
import static dev.portal.catalog.query.EntityFilter.equalTo;
import static dev.portal.catalog.query.EntityFilter.not;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryLimitsTests {

    private final QueryLimits limits = QueryLimits.defaults().withMaxFilterItems(10).withMaxFilterDepth(3);

    @Test
    void countsOperatorsConditionsAndValues() {
        // AND + 2 conditions + 2 values = 5; OR + 3 conditions + 6 values = 10
        assertThatCode(() -> limits.checkFilter(EntityFilter.parseBackstageFilters(List.of("kind=component,spec.type=service"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> limits.checkFilter(any(equalTo("a", "1", "2"), equalTo("b", "1"), equalTo("c", "1", "2", "3"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkFilter(any(equalTo("a", "1", "2"), equalTo("b", "1", "2"), equalTo("c", "1", "2", "3"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than 10 items").hasMessageContaining("portal.catalog.api.max-filter-items");
    }

    @Test
    void refusesAnAnyOfTwentyThousandItems() {
        List<EntityFilter> items = new ArrayList<>(Collections.nCopies(20_000, equalTo("kind", "component")));

        assertThatThrownBy(() -> limits.checkFilter(new EntityFilter.Any(items)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("QueryLimits.maxFilterItems");
    }

    @Test
    void refusesDeepNesting() {
        assertThatCode(() -> limits.checkFilter(all(any(not(equalTo("a", "1")))))).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkFilter(all(any(not(not(equalTo("a", "1")))))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than 3 levels deep").hasMessageContaining("portal.catalog.api.max-filter-depth");
    }

    @Test
    void limitsTheListsOfARead() {
        QueryLimits small = QueryLimits.defaults().withMaxOrderFields(1).withMaxFields(2).withMaxFacets(2)
                .withMaxRefs(2).withMaxFullTextLength(5).withMaxFullTextFields(1);

        assertThatThrownBy(() -> small.checkOrder(List.of(Order.asc("a"), Order.asc("b"))))
                .hasMessageContaining("portal.catalog.api.max-order-fields");
        assertThatThrownBy(() -> small.checkFields(List.of("a", "b", "c"))).hasMessageContaining("portal.catalog.api.max-fields");
        assertThatThrownBy(() -> small.checkFacets(List.of("a", "b", "c"))).hasMessageContaining("portal.catalog.api.max-facets");
        assertThatThrownBy(() -> small.checkRefs(List.of("a", "b", "c"))).hasMessageContaining("portal.catalog.api.max-refs");
        assertThatThrownBy(() -> small.checkFullText("abcdef", List.of()))
                .hasMessageContaining("6 characters").hasMessageContaining("portal.catalog.api.max-full-text-length");
        assertThatThrownBy(() -> small.checkFullText("a", List.of("x", "y")))
                .hasMessageContaining("portal.catalog.api.max-full-text-fields");
        assertThatCode(() -> small.checkFields(null)).doesNotThrowAnyException();
    }

    @Test
    void refusesFacetKeysWithControlCharacters() {
        assertThatThrownBy(() -> limits.checkFacets(List.of("spec.\u0000type")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("facet").hasMessageContaining("U+0000");
    }
}
