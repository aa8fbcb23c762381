package dev.portal.catalog.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FieldProjectionTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private final ObjectNode entity = json("""
            {"kind":"Component","metadata":{"name":"svc","tags":["java"],"labels":{"a":"b"}},"spec":{"type":"service"}}
            """);

    @Test
    void keepsOnlyTheListedSubtrees() {
        assertThat(FieldProjection.apply(entity, List.of("kind", "metadata.name", "metadata.labels")))
                .isEqualTo(json("{\"kind\":\"Component\",\"metadata\":{\"name\":\"svc\",\"labels\":{\"a\":\"b\"}}}"));
    }

    @Test
    void leavesOutPathsThatDoNotExist() {
        assertThat(FieldProjection.apply(entity, List.of("spec.owner", "metadata.name.first", "kind")))
                .isEqualTo(json("{\"kind\":\"Component\"}"));
    }

    @Test
    void keepsEverythingWithoutFields() {
        assertThat(FieldProjection.apply(entity, List.of())).isEqualTo(entity);
    }
}
