package dev.portal.catalog.orchestration;

import dev.portal.catalog.model.Location;

import java.time.Duration;

/**
 * Told each time the catalog processes a location, whoever asked for it: the refresh loop, a
 * registration, a refresh request. Metrics and notifications hang here.
 */
public interface ProcessingListener {

    /** A location was processed ({@code report.errors()} lists problems found in it). */
    default void processed(ProcessingReport report, Duration took) {
    }

    /**
     * Processing a location failed for a reason outside the location (the database, mostly); the
     * pass rolled back and the location is retried later.
     */
    default void failed(Location location, RuntimeException failure, Duration took) {
    }

    /** A listener that ignores everything. */
    static ProcessingListener none() {
        return new ProcessingListener() {
        };
    }
}
