package dev.portal.catalog.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;

import java.util.List;

/** Small entities written as YAML in the test, and relations in both directions. */
public final class EntityFixtures {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private EntityFixtures() {
    }

    /** An entity from a YAML descriptor; {@code apiVersion} defaults to backstage.io/v1alpha1. */
    public static Entity entity(String yaml) {
        try {
            ObjectNode json = (ObjectNode) YAML.readTree(yaml);
            if (!json.has("apiVersion")) {
                ObjectNode withVersion = YAML.createObjectNode().put("apiVersion", "backstage.io/v1alpha1");
                withVersion.setAll(json);
                json = withVersion;
            }
            return Entity.of(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A component with just a name, {@code spec.type} and {@code spec.owner}. */
    public static Entity component(String name, String type, String owner) {
        return entity("""
                kind: Component
                metadata:
                  name: %s
                spec:
                  type: %s
                  owner: %s
                """.formatted(name, type, owner));
    }

    /** {@code source type target} plus its reverse, as processing produces them. */
    public static List<Relation> both(String source, String type, String target) {
        EntityRef from = EntityRef.parse(source);
        EntityRef to = EntityRef.parse(target);
        return List.of(new Relation(from, type, to), new Relation(to, RelationType.reverseOf(type), from));
    }
}
