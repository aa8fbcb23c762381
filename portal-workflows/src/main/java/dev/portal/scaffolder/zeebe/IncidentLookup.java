package dev.portal.scaffolder.zeebe;

import java.util.Optional;

/**
 * Finds the incident Zeebe raised for a job that failed without retries left. Resolving an incident
 * needs its key, and the gateway's command API does not return it: a cluster answers through its
 * search API ({@link SearchApiIncidentLookup}); the in-JVM engine through its record stream.
 */
@FunctionalInterface
public interface IncidentLookup {

    Optional<Long> incidentOfJob(long processInstanceKey, long jobKey);
}
