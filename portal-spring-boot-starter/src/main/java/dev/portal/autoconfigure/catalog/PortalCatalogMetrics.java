package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.model.Location;
import dev.portal.catalog.orchestration.ProcessingListener;
import dev.portal.catalog.orchestration.ProcessingReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

import static dev.portal.db.Tables.ENTITIES;

/**
 * The catalog's meters:
 * <ul>
 * <li>{@code portal.catalog.refresh}, a timer per location processed by the refresh loop, tagged
 * {@code outcome}: {@code success}, {@code unchanged} (source not changed, nothing done),
 * {@code problems} (processed, with problems recorded against the location) or {@code failure}
 * (rolled back, retried later);</li>
 * <li>{@code portal.catalog.entities.created}, {@code .updated}, {@code .orphaned}: counters over
 * every processing, refreshes and start-up registrations alike;</li>
 * <li>{@code portal.catalog.entities.stored}: a gauge of the rows in the entities table (orphans
 * included), counted when the registry reads it.</li>
 * </ul>
 * Query timings ({@code portal.catalog.query}) come from {@link TimedEntityQueries}.
 */
public class PortalCatalogMetrics implements ProcessingListener {

    private final MeterRegistry registry;
    private final Counter created;
    private final Counter updated;
    private final Counter orphaned;

    public PortalCatalogMetrics(MeterRegistry registry, PortalDatabase database) {
        this.registry = registry;
        this.created = Counter.builder("portal.catalog.entities.created")
                .description("Entities the catalog stored for the first time").register(registry);
        this.updated = Counter.builder("portal.catalog.entities.updated")
                .description("Stored entities whose content changed").register(registry);
        this.orphaned = Counter.builder("portal.catalog.entities.orphaned")
                .description("Entities marked orphaned because their location stopped emitting them")
                .register(registry);
        Gauge.builder("portal.catalog.entities.stored", database, db -> db.dsl().fetchCount(ENTITIES))
                .description("Entities stored in the catalog, orphans included").register(registry);
    }

    @Override
    public void processed(ProcessingReport report, Duration took) {
        String outcome = report.unchanged() ? "unchanged" : report.errors().isEmpty() ? "success" : "problems";
        timer(outcome).record(took);
        count(report);
    }

    @Override
    public void failed(Location location, RuntimeException failure, Duration took) {
        timer("failure").record(took);
    }

    private Timer timer(String outcome) {
        return Timer.builder("portal.catalog.refresh")
                .description("Processing of one catalog location (refresh loop, registration or refresh request)")
                .tag("outcome", outcome)
                .register(registry);
    }

    private void count(ProcessingReport report) {
        created.increment(report.created());
        updated.increment(report.updated());
        orphaned.increment(report.orphaned());
    }
}
