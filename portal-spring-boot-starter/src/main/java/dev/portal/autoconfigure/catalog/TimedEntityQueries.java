package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityPage;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.FacetCount;
import dev.portal.catalog.query.Order;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Times every read of the catalog as {@code portal.catalog.query}, tagged {@code operation} (the
 * method) and {@code outcome} ({@code success} or {@code error}); a decorator, so the queries
 * themselves know nothing of metrics.
 */
public final class TimedEntityQueries implements EntityQueries {

    private final EntityQueries delegate;
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public TimedEntityQueries(EntityQueries delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    @Override
    public Optional<StoredEntity> byRef(EntityRef ref) {
        return timed("byRef", () -> delegate.byRef(ref));
    }

    @Override
    public Optional<StoredEntity> byUid(UUID uid) {
        return timed("byUid", () -> delegate.byUid(uid));
    }

    @Override
    public List<Optional<StoredEntity>> byRefs(List<EntityRef> refs, EntityFilter filter) {
        return timed("byRefs", () -> delegate.byRefs(refs, filter));
    }

    @Override
    public List<StoredEntity> list(EntityFilter filter, List<Order> order, int offset, Integer limit) {
        return timed("list", () -> delegate.list(filter, order, offset, limit));
    }

    @Override
    public EntityPage<StoredEntity> query(EntityQuery query) {
        return timed("query", () -> delegate.query(query));
    }

    @Override
    public Map<String, List<FacetCount>> facets(List<String> facetKeys, EntityFilter filter) {
        return timed("facets", () -> delegate.facets(facetKeys, filter));
    }

    @Override
    public Set<EntityRef> existing(Collection<EntityRef> refs) {
        return timed("existing", () -> delegate.existing(refs));
    }

    @Override
    public List<Relation> danglingRelations(EntityRef ref) {
        return timed("danglingRelations", () -> delegate.danglingRelations(ref));
    }

    private <T> T timed(String operation, Supplier<T> query) {
        Timer.Sample sample = Timer.start(registry);
        boolean success = false;
        try {
            T result = query.get();
            success = true;
            return result;
        } finally {
            sample.stop(timer(operation, success));
        }
    }

    /** Looked up once per operation and outcome: the registry's own look-up builds tags on every call. */
    private Timer timer(String operation, boolean success) {
        String outcome = success ? "success" : "error";
        return timers.computeIfAbsent(operation + ' ' + outcome, key -> Timer.builder("portal.catalog.query")
                .description("Reads of the catalog's entities")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(registry));
    }
}
