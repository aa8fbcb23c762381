package dev.portal.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.StoredEntity;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CatalogWireTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    // What Spring MVC writes responses with, unless a host configures its own.
    private static final ObjectMapper SPRING = Jackson2ObjectMapperBuilder.json().build();

    private static final EntityRef SVC = EntityRef.parse("component:default/svc");

    @Test
    void writesAStoredEntityExactlyAsItsTreeWithRelationsIsWritten() throws Exception {
        String document = JSON.writeValueAsString(JSON.readTree("""
                {"apiVersion":"backstage.io/v1alpha1","kind":"Component",
                 "metadata":{"name":"svc","namespace":"default","description":"Ünïcødé, \\"quotes\\", \\\\ and \\u0001 \\t",
                             "labels":{"x":"1"},"uid":"u","etag":"e"},
                 "spec":{"type":"service","replicas":3,"ratio":0.25,"big":1.0E30,"flag":true,"none":null,"list":[]}}
                """));
        List<Relation> relations = List.of(
                new Relation(SVC, "dependsOn", EntityRef.parse("resource:default/db")),
                new Relation(SVC, "ownedBy", EntityRef.parse("group:default/team-a")),
                new Relation(SVC, "said \"so\" \\ here\u0001", EntityRef.parse("group:default/team-b")));

        assertThat(SPRING.writeValueAsString(CatalogWire.entity(stored(document, relations), List.of())))
                .isEqualTo(SPRING.writeValueAsString(treeWithRelations(document, relations)));
        // into a byte stream, as Spring MVC writes a response
        assertThat(new String(SPRING.writeValueAsBytes(CatalogWire.entity(stored(document, relations), List.of())),
                StandardCharsets.UTF_8))
                .isEqualTo(SPRING.writeValueAsString(treeWithRelations(document, relations)));
    }

    @Test
    void writesAnEmptyRelationsArrayForAnEntityWithoutRelations() throws Exception {
        String document = "{\"apiVersion\":\"v1\",\"kind\":\"Group\",\"metadata\":{\"name\":\"team-a\"}}";

        assertThat(SPRING.writeValueAsString(CatalogWire.entity(stored(document, List.of()), List.of())))
                .isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Group\",\"metadata\":{\"name\":\"team-a\"},\"relations\":[]}");
    }

    @Test
    void replacesAuthoredRelationsInPlaceWithTheStoredOnes() throws Exception {
        String document = "{\"apiVersion\":\"v1\",\"kind\":\"Component\",\"relations\":[{\"type\":\"made-up\"}],"
                + "\"metadata\":{\"name\":\"svc\"}}";
        List<Relation> relations = List.of(new Relation(SVC, "ownedBy", EntityRef.parse("group:default/team-a")));

        assertThat(SPRING.writeValueAsString(CatalogWire.entity(stored(document, relations), List.of())))
                .isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Component\","
                        + "\"relations\":[{\"type\":\"ownedBy\",\"targetRef\":\"group:default/team-a\"}],"
                        + "\"metadata\":{\"name\":\"svc\"}}");
    }

    @Test
    void prunesAStoredEntityToTheRequestedFields() throws Exception {
        String document = "{\"apiVersion\":\"v1\",\"kind\":\"Component\",\"metadata\":{\"name\":\"svc\",\"uid\":\"u\"}}";

        assertThat(SPRING.writeValueAsString(CatalogWire.entity(stored(document, List.of()), List.of("metadata.name"))))
                .isEqualTo("{\"metadata\":{\"name\":\"svc\"}}");
    }

    @Test
    void writesStoredEntitiesInsideResponseModels() throws Exception {
        String document = "{\"apiVersion\":\"v1\",\"kind\":\"Group\",\"metadata\":{\"name\":\"team-a\"}}";
        EntityJson stored = CatalogWire.entity(stored(document, List.of()), List.of());

        assertThat(SPRING.writeValueAsString(Map.of("items", java.util.Arrays.asList(stored, null, stored))))
                .isEqualTo("{\"items\":[" + stored + ",null," + stored + "]}");
    }

    @Test
    void readsARequestEntityAsATree() throws Exception {
        EntityJson entity = SPRING.readValue("{\"kind\":\"Component\",\"metadata\":{\"name\":\"svc\"}}", EntityJson.class);

        assertThat(entity.toJson().path("metadata").path("name").asText()).isEqualTo("svc");
    }

    private static StoredEntity stored(String document, List<Relation> relations) {
        return new StoredEntity(UUID.randomUUID(), SVC, "e", 1, null, false, document, relations);
    }

    private static ObjectNode treeWithRelations(String document, List<Relation> relations) throws Exception {
        return CatalogWire.withRelations((ObjectNode) JSON.readTree(document), relations);
    }
}
