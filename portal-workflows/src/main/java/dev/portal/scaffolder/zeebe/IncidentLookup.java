package dev.portal.scaffolder.zeebe;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the open incidents of a process instance. Resolving an incident needs its key, and the
 * gateway's command API does not return it: a cluster answers through its search API
 * ({@link SearchApiIncidentLookup}); the in-JVM engine through its record stream
 * ({@link RecordStreamIncidentLookup}).
 */
@FunctionalInterface
public interface IncidentLookup {

    /**
     * An incident not yet resolved.
     *
     * @param key       the incident key (to resolve it)
     * @param elementId the BPMN element it occurred at
     * @param jobKey    the job whose failure raised it, if a job did
     * @param message   Zeebe's error message
     */
    record OpenIncident(long key, String elementId, Optional<Long> jobKey, String message) {
    }

    List<OpenIncident> openIncidents(long processInstanceKey);

    /**
     * Whether incidents can be looked up at all: {@code false} once a cluster turned out to have no
     * search API, when {@link #openIncidents} answers empty without asking.
     */
    default boolean supported() {
        return true;
    }

    /** The open incident raised by {@code jobKey}, if any. */
    default Optional<Long> incidentOfJob(long processInstanceKey, long jobKey) {
        return openIncidents(processInstanceKey).stream()
                .filter(incident -> incident.jobKey().filter(key -> key == jobKey).isPresent())
                .map(OpenIncident::key)
                .findFirst();
    }

    /** The open incident at {@code elementId}, if any. */
    default Optional<OpenIncident> incidentAt(long processInstanceKey, String elementId) {
        return openIncidents(processInstanceKey).stream()
                .filter(incident -> Objects.equals(incident.elementId(), elementId))
                .findFirst();
    }
}
