package dev.portal.scaffolder.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads an action's JSON schema written as JSON text (the readable way to declare one). */
public final class ActionSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ActionSchemas() {
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("not a JSON schema object: " + json, e);
        }
    }
}
