package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.Order;
import dev.portal.catalog.testing.PostgresDatabase;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static dev.portal.catalog.testing.EntityFixtures.both;
import static dev.portal.catalog.testing.EntityFixtures.entity;
import static dev.portal.db.Tables.SEARCH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingests a catalog of the benchmark's size in one transaction, so chunking (entities and search
 * rows) is exercised, and logs how long it took. Timing is reported, never asserted.
 */
class EntityStoreThroughputIntegrationTests {

    private static final Logger log = LoggerFactory.getLogger(EntityStoreThroughputIntegrationTests.class);
    private static final int ENTITIES = 10_000;

    @Test
    void storesTenThousandEntitiesInOneTransaction() {
        try (PostgresDatabase db = PostgresDatabase.create()) {
            List<EntityWrite> writes = new ArrayList<>(ENTITIES);
            for (int i = 0; i < ENTITIES; i++) {
                writes.add(new EntityWrite(component(i), relations(i), null, null));
            }

            long started = System.nanoTime();
            List<WriteResult> results = db.dsl().transactionResult(cfg -> EntityStore.jooq(cfg.dsl()).upsert(writes));
            long millis = (System.nanoTime() - started) / 1_000_000;

            int searchRows = db.dsl().fetchCount(SEARCH);
            log.info("upserted {} entities ({} search rows) in one transaction in {} ms", ENTITIES, searchRows, millis);
            long queryStarted = System.nanoTime();
            var page = EntityQueries.jooq(db.dsl()).query(EntityQuery.of(EntityFilter.equalTo("spec.type", "service"))
                    .orderBy(Order.asc("metadata.name")).limit(50));
            log.info("first by-query page of 50 out of {} took {} ms", page.totalItems(),
                    (System.nanoTime() - queryStarted) / 1_000_000);
            assertThat(results).hasSize(ENTITIES).allMatch(r -> r.outcome() == WriteResult.Outcome.CREATED);
            assertThat(searchRows).isGreaterThan(ENTITIES * 40);
        }
    }

    private static Entity component(int i) {
        return entity("""
                kind: Component
                metadata:
                  name: svc-%1$05d
                  description: Service number %1$d of the throughput catalog
                  labels: {tier: gold, region: eu-%2$d, team: team-%2$d, cost-center: cc-%2$d, probe: bench}
                  annotations:
                    backstage.io/managed-by-location: file:/catalog/svc-%1$05d.yaml
                    backstage.io/managed-by-origin-location: file:/catalog/all.yaml
                    backstage.io/source-location: url:https://git.example/svc-%1$05d
                    backstage.io/techdocs-ref: dir:.
                    github.com/project-slug: example/svc-%1$05d
                    pagerduty.com/service-id: P%1$05d
                  tags: [java, spring, team-%2$d, bench]
                  links:
                    - {url: https://svc-%1$05d.example, title: Home}
                    - {url: https://grafana.example/svc-%1$05d, title: Dashboard}
                spec:
                  type: %3$s
                  lifecycle: production
                  owner: team-%2$d
                  system: system-%2$d
                  dependsOn: [component:svc-%4$05d, component:svc-%5$05d, resource:db-%2$d]
                  providesApis: [api-%1$05d, api-%2$d]
                """.formatted(i, i % 20, i % 3 == 0 ? "website" : "service", (i + 1) % ENTITIES, (i + 2) % ENTITIES));
    }

    private static List<Relation> relations(int i) {
        String self = "component:default/svc-%05d".formatted(i);
        List<Relation> relations = new ArrayList<>(both(self, RelationType.OWNED_BY, "group:team-" + i % 20));
        relations.addAll(both(self, RelationType.DEPENDS_ON, "component:svc-%05d".formatted((i + 1) % ENTITIES)));
        relations.addAll(both(self, RelationType.DEPENDS_ON, "component:svc-%05d".formatted((i + 2) % ENTITIES)));
        relations.addAll(both(self, RelationType.PROVIDES_API, "api:api-%05d".formatted(i)));
        return relations;
    }
}
