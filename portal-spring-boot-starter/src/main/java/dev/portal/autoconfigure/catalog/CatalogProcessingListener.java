package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.refresh.ProcessingReport;

import java.time.Duration;

/**
 * Told what happened each time the starter processes a location. Beans of this type are collected
 * in order; the metrics are one of them.
 */
public interface CatalogProcessingListener {

    /** The refresh loop processed a location ({@code report.errors()} lists problems found in it). */
    default void refreshed(ProcessingReport report, Duration took) {
    }

    /**
     * The refresh loop failed to process a location for a reason outside the location (the
     * database, mostly); the pass rolled back and the location is retried later.
     */
    default void refreshFailed(RuntimeException failure, Duration took) {
    }

    /** A location listed in configuration was registered at start-up and processed. */
    default void registered(ProcessingReport report) {
    }
}
