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
 * themselves know nothing of metrics. Each timer is registered on first use and kept, as
 * Micrometer advises for hot paths: a timer removed from the registry afterwards stops being
 * published.
 */
public final class TimedEntityQueries implements EntityQueries {

    private final EntityQueries delegate;
    private final MeterRegistry registry;
    // the registry's own look-up builds the tags again on every call
    private final Map<String, Timer> succeeded = new ConcurrentHashMap<>();
    private final Map<String, Timer> failed = new ConcurrentHashMap<>();

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
    public Map<String, List<FacetCount>> facets(List<String> facetKeys, EntityFilter filter, String fullTextTerm,
                                                List<String> fullTextFields) {
        return timed("facets", () -> delegate.facets(facetKeys, filter, fullTextTerm, fullTextFields));
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

    private Timer timer(String operation, boolean success) {
        return (success ? succeeded : failed).computeIfAbsent(operation, key -> Timer.builder("portal.catalog.query")
                .description("Reads of the catalog's entities")
                .tag("operation", operation)
                .tag("outcome", success ? "success" : "error")
                .register(registry));
    }
}
