package dev.portal.web;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.FieldProjection;
import dev.portal.web.model.ProcessingStatus;
import dev.portal.web.model.ProcessingStatusItem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * How catalog values look on Backstage's wire: entities with a {@code relations} array of
 * {@code {type, targetRef}}, locations with the ref of their generated {@code Location} entity,
 * and that generated entity itself (Portal does not store it; Backstage does, and its client and
 * ancestry expect it).
 */
final class CatalogWire {

    private static final String RELATIONS_KEY = "\"relations\"";
    private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

    private CatalogWire() {
    }

    /**
     * The stored entity as served, pruned to {@code fields} when some are given: with its relations,
     * and with Backstage's {@code status.items} when processing problems concern it.
     */
    static EntityJson entity(StoredEntity stored, List<String> fields) {
        if ((fields == null || fields.isEmpty()) && stored.problems().isEmpty()) {
            String document = stored.document();
            // A document that names "relations" anywhere (an author may write the key) goes the
            // long way, so the computed relations replace the authored ones in place as ever.
            if (document.length() > 2 && document.charAt(document.length() - 1) == '}'
                    && !document.contains(RELATIONS_KEY)) {
                return EntityJson.ofStored(stored);
            }
        }
        ObjectNode json = withRelations(stored.entity().toJson(), stored.relations());
        if (!stored.problems().isEmpty()) {
            ArrayNode items = json.putObject("status").putArray("items");
            stored.problems().forEach(problem -> items.addObject().put("type", PROCESSING_STATUS)
                    .put("level", "error").put("message", LocationSpec.redact(problem)));
        }
        return EntityJson.of(FieldProjection.apply(json, fields));
    }

    /** The {@code type} of Backstage's status items for problems found while processing. */
    static final String PROCESSING_STATUS = "backstage.io/catalog-processing";

    /**
     * The stored document with {@code "relations":[...]} appended as its last key: the same text
     * Jackson writes for the document's tree after {@link #withRelations(ObjectNode, List)}.
     */
    static String withRelations(StoredEntity stored) {
        String document = stored.document();
        StringBuilder json = new StringBuilder(document.length() + 64 * (stored.relationCount() + 1));
        json.append(document, 0, document.length() - 1);
        return relationsAndEnd(stored, json).toString();
    }

    /**
     * Appends {@code ,"relations":[...]}} to {@code json}: the stored entity's relations, their
     * types and target refs as read (target refs are stored canonical), quoted as Jackson quotes
     * them, and the brace that closes the entity.
     */
    static StringBuilder relationsAndEnd(StoredEntity stored, StringBuilder json) {
        json.append(RELATIONS_START);
        for (int i = 0; i < stored.relationCount(); i++) {
            json.append(i == 0 ? RELATION_TYPE : NEXT_RELATION_TYPE);
            quote(stored.relationType(i), json);
            json.append(RELATION_TARGET);
            quote(stored.relationTargetRef(i), json);
            json.append(RELATION_END);
        }
        return json.append(RELATIONS_END);
    }

    private static void quote(String text, StringBuilder json) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                STRINGS.quoteAsString(text, json);
                return;
            }
        }
        json.append(text);
    }

    // The pieces of the relations array as relationsAndEnd writes them.
    private static final String RELATIONS_START = ",\"relations\":[";
    private static final String RELATION_TYPE = "{\"type\":\"";
    private static final String NEXT_RELATION_TYPE = ",{\"type\":\"";
    private static final String RELATION_TARGET = "\",\"targetRef\":\"";
    private static final String RELATION_END = "\"}";
    private static final String RELATIONS_END = "]}";

    /**
     * A processed but unstored entity (dry runs) as Backstage serves it: with its namespace even
     * when the descriptor left it to the default. Stored entities carry it already.
     */
    static ObjectNode withNamespace(Entity entity) {
        ObjectNode json = entity.toJson();
        ObjectNode metadata = (ObjectNode) json.get("metadata");
        if (!metadata.path("namespace").isTextual()) {
            metadata.put("namespace", entity.namespace());
        }
        return json;
    }

    static ObjectNode withRelations(ObjectNode json, List<Relation> relations) {
        ArrayNode array = json.putArray("relations");
        relations.forEach(relation -> array.addObject()
                .put("type", relation.type())
                .put("targetRef", relation.target().canonical()));
        return json;
    }

    static dev.portal.web.model.Location location(dev.portal.catalog.model.Location location,
                                                  List<ProcessingError> errors) {
        // redacted: rows stored before passwords in targets were refused may still carry one
        dev.portal.web.model.Location wire = new dev.portal.web.model.Location(location.id().toString(),
                location.type(), location.spec().redactedTarget())
                .entityRef(locationEntityRef(location.spec()).canonical())
                .origin(dev.portal.web.model.Location.OriginEnum.fromValue(location.origin().code()))
                .trusted(location.trusted())
                .status(new ProcessingStatus(errors.stream().map(CatalogWire::statusItem).toList()));
        if (location.lastRefreshAt() != null) {
            wire.lastRefreshAt(location.lastRefreshAt());
        }
        return wire;
    }

    private static ProcessingStatusItem statusItem(ProcessingError error) {
        ProcessingStatusItem item = new ProcessingStatusItem(PROCESSING_STATUS, "error",
                LocationSpec.redact(error.message()));
        if (error.entityRef() != null) {
            item.entityRef(error.entityRef());
        }
        if (error.documentIndex() != null) {
            item.document(error.documentIndex());
        }
        return item;
    }

    /** Backstage's {@code location:default/generated-<sha1("type:target")>}. */
    static EntityRef locationEntityRef(LocationSpec spec) {
        return EntityRef.of("location", EntityRef.DEFAULT_NAMESPACE, "generated-" + sha1(spec.ref()));
    }

    /**
     * The {@code Location} entity Backstage generates for a registered location: it emits what the
     * target holds, and is the root of every ancestry.
     *
     * @param origin the registered location this one was reached from (itself when registered directly)
     */
    static ObjectNode locationEntity(LocationSpec spec, LocationSpec origin) {
        ObjectNode json = withRelations(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                List.of());
        json.put("apiVersion", "backstage.io/v1alpha1");
        json.put("kind", "Location");
        ObjectNode metadata = json.putObject("metadata");
        metadata.put("name", locationEntityRef(spec).name());
        metadata.put("namespace", EntityRef.DEFAULT_NAMESPACE);
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put(Entity.MANAGED_BY_LOCATION, spec.ref());
        annotations.put(Entity.MANAGED_BY_ORIGIN_LOCATION, origin.ref());
        json.putObject("spec").put("type", spec.type()).put("target", spec.target());
        return json;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
