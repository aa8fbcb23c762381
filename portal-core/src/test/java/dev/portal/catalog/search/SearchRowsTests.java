package dev.portal.catalog.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.portal.catalog.testing.EntityFixtures.entity;
import static org.assertj.core.api.Assertions.assertThat;

class SearchRowsTests {

    private static final UUID UID = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static List<SearchRow> rows(String yaml) {
        return SearchRows.of(entity(yaml), UID);
    }

    @Test
    void lowerCasesKeysAndValuesAndKeepsTheOriginalValue() {
        assertThat(rows("""
                kind: Component
                metadata:
                  name: Svc
                  labels:
                    Tier: Gold
                """)).contains(
                new SearchRow("kind", "component", "Component"),
                new SearchRow("apiversion", "backstage.io/v1alpha1", "backstage.io/v1alpha1"),
                new SearchRow("metadata.labels.tier", "gold", "Gold"),
                new SearchRow("metadata.name", "svc", "Svc"));
    }

    @Test
    void addsTheDefaultNamespaceAndTheUid() {
        assertThat(rows("""
                kind: Component
                metadata:
                  name: svc
                """)).contains(
                new SearchRow("metadata.namespace", "default", "default"),
                new SearchRow("metadata.uid", UID.toString(), UID.toString()));
    }

    @Test
    void emitsOneRowPerArrayElementAndAnExistenceRowPerString() {
        assertThat(rows("""
                kind: Component
                metadata:
                  name: svc
                  tags: [Java, go]
                """)).contains(
                new SearchRow("metadata.tags", "java", "Java"),
                new SearchRow("metadata.tags", "go", "go"),
                new SearchRow("metadata.tags.java", "true", "true"),
                new SearchRow("metadata.tags.go", "true", "true"));
    }

    @Test
    void recursesIntoNestedObjectsAndArraysOfObjects() {
        assertThat(rows("""
                kind: Component
                metadata:
                  name: svc
                  links:
                    - url: https://a.example
                spec:
                  deploy:
                    replicas: 3
                """)).contains(
                new SearchRow("metadata.links.url", "https://a.example", "https://a.example"),
                new SearchRow("spec.deploy.replicas", "3", "3"));
    }

    @Test
    void keepsTheKeyButNotTheValueOfValuesLongerThan200Characters() {
        String longValue = "x".repeat(201);
        assertThat(rows("""
                kind: Component
                metadata:
                  name: svc
                  description: %s
                """.formatted(longValue)))
                .contains(new SearchRow("metadata.description", null, null))
                .noneMatch(row -> longValue.equals(row.originalValue()));
    }

    @Test
    void leavesOutRelationsStatusAndTheEtag() {
        assertThat(rows("""
                kind: Component
                metadata:
                  name: svc
                  etag: abc
                relations:
                  - type: ownedBy
                    targetRef: group:default/a
                status:
                  items: []
                """)).extracting(SearchRow::key)
                .noneMatch(key -> key.startsWith("relations") || key.startsWith("status") || key.equals("metadata.etag"));
    }
}
