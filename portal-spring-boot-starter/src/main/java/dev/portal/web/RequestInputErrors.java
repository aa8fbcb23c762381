package dev.portal.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.springframework.http.converter.HttpMessageNotReadableException;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What was wrong with a request's body or parameters, in the words of the API: the field by its
 * JSON path ({@code orderBy[0].order}) and the JSON type it must have (also for parameters, see
 * {@link CatalogErrorAdvice}). Jackson's and Spring's own
 * messages name Java types ({@code Cannot deserialize value of type ...ObjectNode}), which tell a
 * caller nothing and show how the server is built.
 */
final class RequestInputErrors {

    private RequestInputErrors() {
    }

    /** The message for a body that did not read as the endpoint's JSON. */
    static String unreadableBody(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                return "the request body's " + path(mapping) + " " + rule(mapping);
            }
            if (cause instanceof JsonProcessingException parsing) {
                JsonLocation location = parsing.getLocation();
                return "the request body is not valid JSON" + (location == null ? ""
                        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
            }
        }
        return "the request body is missing or is not JSON";
    }

    /** {@code orderBy[0].order}: fields by name, list items by index. */
    private static String path(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "content" : path.toString();
    }

    private static String rule(JsonMappingException mapping) {
        Class<?> target = mapping instanceof MismatchedInputException mismatched ? mismatched.getTargetType()
                : mapping instanceof ValueInstantiationException instantiation && instantiation.getType() != null
                ? instantiation.getType().getRawClass() : null;
        if (target != null && target.isEnum()) {
            return "must be " + expected(target);
        }
        if (mapping instanceof ValueInstantiationException) {
            return "has a value that is not allowed here";
        }
        return target == null ? "does not fit this endpoint's request" : "must be " + expected(target);
    }

    /** The JSON (or parameter) type a Java type stands for, e.g. "an integer from ... to ...". */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type == Integer.class || type == int.class) {
            return "an integer from -2147483648 to 2147483647";
        }
        if (type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == java.util.UUID.class) {
            return type == String.class ? "a string" : "a uid";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (JsonNode.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "of another type";
    }
}
