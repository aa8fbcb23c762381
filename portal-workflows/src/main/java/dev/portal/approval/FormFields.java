package dev.portal.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The process variables an approval task's form fills: all that a decision may add to the process.
 * Completing the task's job sets them on the process, where a later step could read one in place of
 * what its template fixed (a step's input comes from its headers, and a variable of the same name
 * wins), so an approver sends only the fields the form has.
 */
@FunctionalInterface
public interface FormFields {

    /** Knows no form: a decision may add any variable the inbox's other rules allow. */
    FormFields UNKNOWN = task -> Optional.empty();

    /**
     * The top-level variable names the task's form fills: none when it links no form, empty when
     * the form is not one this portal knows (a custom form key).
     */
    Optional<Set<String>> of(ApprovalTask task);

    /**
     * Fields of Camunda forms by their deployed key (the numeric form key a job-worker user task
     * carries), read from their JSON: each component's {@code key}, or a group's {@code path}, up to
     * its first dot (a dotted key fills an object variable).
     *
     * @param formJson the JSON of the form deployed under a key, if this portal deployed it
     */
    static FormFields camundaForms(LongFunction<Optional<String>> formJson) {
        ObjectMapper json = new ObjectMapper();
        return task -> {
            if (task.formKey().isEmpty()) {
                return Optional.of(Set.of());
            }
            long key;
            try {
                key = Long.parseLong(task.formKey().get());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            return formJson.apply(key).map(text -> {
                try {
                    Set<String> names = new LinkedHashSet<>();
                    collect(json.readTree(text).path("components"), names, 0);
                    return Set.copyOf(names);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("the deployed form " + key + " is no longer readable JSON", e);
                }
            });
        };
    }

    private static void collect(JsonNode components, Set<String> names, int depth) {
        if (depth > 32) {
            return;
        }
        for (JsonNode component : components) {
            String path = component.path("path").asText("");
            String key = component.path("key").asText("");
            if (!path.isEmpty()) {
                names.add(path.split("\\.", 2)[0]);
            } else {
                if (!key.isEmpty()) {
                    names.add(key.split("\\.", 2)[0]);
                }
                collect(component.path("components"), names, depth + 1);
            }
        }
    }
}
