package dev.portal.catalog.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.portal.catalog.query.EntityFilter.all;
import static dev.portal.catalog.query.EntityFilter.any;
import static dev.portal.catalog.query.EntityFilter.equalTo;
import static dev.portal.catalog.query.EntityFilter.exists;
import static dev.portal.catalog.query.EntityFilter.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntityFilterTests {

    private static JsonNode json(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void andsTheConditionsOfOneFilterString() {
        assertThat(EntityFilter.parseBackstageFilters(List.of("kind=component,spec.type=service")))
                .isEqualTo(all(equalTo("kind", "component"), equalTo("spec.type", "service")));
    }

    @Test
    void orsSeveralFilterStrings() {
        assertThat(EntityFilter.parseBackstageFilters(List.of("kind=component", "kind=api")))
                .isEqualTo(any(equalTo("kind", "component"), equalTo("kind", "api")));
    }

    @Test
    void readsARepeatedKeyAsOneOfItsValues() {
        assertThat(EntityFilter.parseBackstageFilters(List.of("spec.type=service,spec.type=website")))
                .isEqualTo(equalTo("spec.type", "service", "website"));
    }

    @Test
    void readsABareKeyAsAnExistenceTest() {
        assertThat(EntityFilter.parseBackstageFilters(List.of("kind=component,metadata.tags.java")))
                .isEqualTo(all(equalTo("kind", "component"), exists("metadata.tags.java")));
    }

    @Test
    void lowerCasesKeysAndValues() {
        assertThat(EntityFilter.parseBackstageFilters(List.of("Kind=Component")))
                .isEqualTo(equalTo("kind", "component"));
    }

    @Test
    void matchesEverythingWithoutFilters() {
        assertThat(EntityFilter.parseBackstageFilters(List.of())).isEqualTo(EntityFilter.everything());
    }

    @Test
    void rejectsAConditionWithoutAKey() {
        assertThatThrownBy(() -> EntityFilter.parseBackstageFilters(List.of("kind=component,=x")))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("'=x' has no key");
    }

    @Test
    void readsPredicateOperators() {
        assertThat(EntityFilter.fromPredicate(json("""
                {"$all":[{"kind":"component"},
                         {"spec.lifecycle":{"$in":["production","experimental"]}},
                         {"$not":{"spec.type":"website"}},
                         {"$any":[{"metadata.tags":{"$contains":"java"}},{"spec.owner":{"$exists":true}}]}]}
                """))).isEqualTo(all(
                equalTo("kind", "component"),
                equalTo("spec.lifecycle", "production", "experimental"),
                not(equalTo("spec.type", "website")),
                any(equalTo("metadata.tags", "java"), exists("spec.owner"))));
    }

    @Test
    void andsSeveralFieldsOfOnePredicateObject() {
        assertThat(EntityFilter.fromPredicate(json("{\"kind\":\"API\",\"spec.type\":\"openapi\"}")))
                .isEqualTo(all(equalTo("kind", "api"), equalTo("spec.type", "openapi")));
    }

    @Test
    void readsExistsFalseAsNegatedExistence() {
        assertThat(EntityFilter.fromPredicate(json("{\"spec.owner\":{\"$exists\":false}}")))
                .isEqualTo(not(exists("spec.owner")));
    }

    @Test
    void rejectsUnknownOperatorsNamingThem() {
        assertThatThrownBy(() -> EntityFilter.fromPredicate(json("{\"kind\":{\"$regex\":\"c.*\"}}")))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("unknown operator '$regex' on 'kind'");
    }

    @Test
    void rejectsAnOperatorNextToOtherKeys() {
        assertThatThrownBy(() -> EntityFilter.fromPredicate(json("{\"$all\":[],\"kind\":\"x\"}")))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("must be the only key");
    }

    @Test
    void rejectsAPredicateThatIsNotAnObject() {
        assertThatThrownBy(() -> EntityFilter.fromPredicate(json("[1]")))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void readsItsOwnPredicateBackUnchanged() {
        EntityFilter filter = any(all(equalTo("kind", "component", "api"), not(exists("spec.owner"))),
                EntityFilter.everything());
        assertThat(EntityFilter.fromPredicate(filter.toPredicate())).isEqualTo(filter);
    }

    // --- control characters: no stored entity holds one, and U+001F would join a key and a value

    @Test
    void refusesAFilterKeyHoldingTheTermSeparatorInsteadOfMatchingKeyAndValue() {
        assertThatThrownBy(() -> EntityFilter.parseBackstageFilters(List.of("kind\u001fcomponent")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter key").hasMessageContaining("U+001F");
    }

    @Test
    void refusesControlCharactersInFilterValuesNamingTheKey() {
        assertThatThrownBy(() -> EntityFilter.parseBackstageFilters(List.of("metadata.name=a\u0000b")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("filter key 'metadata.name'").hasMessageContaining("U+0000");
        assertThatThrownBy(() -> EntityFilter.fromPredicate(json("{\"kind\":{\"$in\":[\"a\\u0000\"]}}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> EntityFilter.fromPredicate(json("{\"$not\":{\"a\\u001eb\":{\"$exists\":true}}}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("U+001E");
    }

    @Test
    void refusesControlCharactersInOrderFieldsAndFullTextInput() {
        assertThatThrownBy(() -> Order.parse("asc:metadata.\u0000name"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("order field");
        assertThatThrownBy(() -> EntityQuery.of(EntityFilter.everything()).fullText("a\u0000", List.of()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("full-text term");
        assertThatThrownBy(() -> EntityQuery.of(EntityFilter.everything()).fullText("a", List.of("metadata.\u0000")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("full-text field");
    }

    @Test
    void keepsTabsAndLineBreaksInFilterValues() {
        assertThat(EntityFilter.parseBackstageFilters(List.of("metadata.description=a\tb\nc")))
                .isEqualTo(equalTo("metadata.description", "a\tb\nc"));
    }
}
