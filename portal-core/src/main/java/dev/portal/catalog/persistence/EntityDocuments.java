package dev.portal.catalog.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;

import java.io.UncheckedIOException;

/** Reads and writes the stored entity documents (the {@code entities.document} column). */
final class EntityDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EntityDocuments() {
    }

    static String write(ObjectNode document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode readTree(String document) {
        try {
            return (ObjectNode) JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored entity document is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Entity read(String document) {
        return Entity.of(readTree(document));
    }
}
