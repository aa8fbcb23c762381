package dev.portal.catalog.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Problem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

class EntityProcessorTests {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final EntityProcessor processor = new EntityProcessor();

    @Test
    void buildsAValidEntityWithItsRelationsAndReferences() {
        ProcessedEntity processed = processor.process(fixture("component.yaml"), "catalog-info.yaml, document 1");

        assertThat(processed.valid()).isTrue();
        assertThat(processed.entity().ref()).isEqualTo(EntityRef.of("Component", "default", "artist-web"));
        assertThat(processed.relations()).hasSize(8);
        assertThat(processed.references()).extracting(EntityRef::canonical).containsExactly(
                "group:default/artist-relations-team", "system:default/artist-engagement-portal",
                "api:default/artist-api", "resource:default/artists-db");
    }

    @Test
    void rejectsAnInvalidDescriptorWithoutEntityOrRelations() {
        ObjectNode json = fixture("component.yaml");
        ((ObjectNode) json.get("spec")).remove("owner");

        ProcessedEntity processed = processor.process(json, "catalog-info.yaml, document 1");

        assertThat(processed.valid()).isFalse();
        assertThat(processed.entity()).isNull();
        assertThat(processed.relations()).isEmpty();
        assertThat(processed.references()).isEmpty();
        assertThat(processed.problems()).containsExactly(
                new Problem("component:default/artist-web", "spec.owner", "is required"));
    }

    @Test
    void rejectsADescriptorWhoseRefsDoNotParse() {
        ObjectNode json = fixture("component.yaml");
        ((ObjectNode) json.get("spec")).putArray("dependsOn").add("resource:artists-db").add("artists-db");

        ProcessedEntity processed = processor.process(json, "catalog-info.yaml, document 1");

        assertThat(processed.valid()).isFalse();
        assertThat(processed.entity()).isNull();
        assertThat(processed.problems()).extracting(Problem::describe).singleElement().asString()
                .startsWith("component:default/artist-web: spec.dependsOn[1] 'artists-db' is not a valid entity ref");
    }

    @Test
    void leavesOutSelfReferences() {
        ObjectNode json = fixture("component.yaml");
        ((ObjectNode) json.get("spec")).put("subcomponentOf", "artist-web");

        assertThat(processor.process(json, "doc").references())
                .doesNotContain(EntityRef.of("Component", "default", "artist-web"));
    }

    @Test
    void doesNotChangeTheDescriptor() {
        ObjectNode json = fixture("component.yaml");
        ObjectNode before = json.deepCopy();

        processor.process(json, "doc");

        assertThat(json).isEqualTo(before);
    }

    private static ObjectNode fixture(String name) {
        try (var in = EntityProcessorTests.class.getResourceAsStream("/entities/" + name)) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
