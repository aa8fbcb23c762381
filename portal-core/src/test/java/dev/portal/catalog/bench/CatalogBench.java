package dev.portal.catalog.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.PortalSchema;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.query.Order;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Catalog benchmark: generates N synthetic entities (groups, users, systems, components, APIs, with
 * relations between them) as descriptor files, ingests them through a registered location (the real
 * path: read, parse, validate, derive relations, store), then measures reads. Prints figures; asserts
 * nothing. Run: {@code ./mvnw -q -pl portal-core -am -Pbench verify -DskipTests -Dbench.entities=10000}.
 */
public final class CatalogBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
        int entities = Integer.parseInt(options.getOrDefault("entities", "10000"));
        String adminUrl = options.getOrDefault("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        boolean keep = Boolean.parseBoolean(options.getOrDefault("keep", "false"));
        String database = "portal_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;

        admin(adminUrl, "create database " + database);
        Path dir = Files.createTempDirectory("portal-bench-");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(4);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            PortalSchema schema = PortalSchema.defaults();
            schema.migrate(dataSource);
            Catalog catalog = new Catalog(schema.dsl(dataSource),
                    CatalogSettings.defaults().withMaxLocationsPerRegistration(1000));
            SyntheticCatalog generated = SyntheticCatalog.write(dir, entities);

            System.out.printf("Portal catalog benchmark: %d entities (%d components, %d APIs, %d systems, %d groups, %d users)"
                            + ", JDK %s, %d cores%n", generated.total(), generated.components(), generated.apis(),
                    generated.systems(), generated.groups(), generated.users(), Runtime.version(),
                    Runtime.getRuntime().availableProcessors());

            long start = System.nanoTime();
            Catalog.Registration registration = catalog.register(
                    new LocationSpec(LocationSpec.FILE, generated.root().toString()), Location.Origin.CONFIG);
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            if (!registration.errors().isEmpty()) {
                throw new IllegalStateException("generated catalog has problems: " + registration.errors().getFirst());
            }
            System.out.printf("ingest (register + process %d files): %.2f s, %.0f entities/s%n",
                    registration.reports().size(), ingestSeconds, registration.entities().size() / ingestSeconds);

            if (Boolean.parseBoolean(options.getOrDefault("analyze", "false"))) {
                // what autovacuum does soon after a large ingest on a server with default settings:
                // the planner then works from real statistics, as in production
                admin(url, "vacuum analyze");
                System.out.println("tables analyzed (as autovacuum would after the ingest)");
            }
            EntityQueries queries = catalog.entities();
            // Queries over the whole catalog grow with it; fewer runs keep a 100k run within minutes.
            int runs = Math.max(30, Math.min(300, 3_000_000 / entities));
            if (keep) {
                admin(url, "alter database " + database + " set log_min_duration_statement = 0");
            }
            Random random = new Random(42);
            EntityFilter productionComponents = EntityFilter.all(EntityFilter.equalTo("kind", "component"),
                    EntityFilter.equalTo("spec.lifecycle", "production"));
            measure("get by ref", 2000, () -> {
                EntityRef ref = EntityRef.parse("component:default/component-" + random.nextInt(generated.components()));
                return queries.byRef(ref).orElseThrow();
            });
            measure("filtered query (kind=component, spec.lifecycle=production, limit 100)", runs, () ->
                    queries.query(EntityQuery.of(productionComponents).limit(100)));
            measure("same, ordered by metadata.name", runs, () ->
                    queries.query(EntityQuery.of(productionComponents).orderBy(new Order("metadata.name", true)).limit(100)));
            measure("facets on spec.type", runs, () ->
                    queries.facets(List.of("spec.type"), EntityFilter.everything()));
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("heap used after run: %d MiB%n", (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        } finally {
            if (keep) {
                System.out.println("kept database " + database + " for inspection (drop it when done)");
            } else {
                admin(adminUrl, "drop database if exists " + database + " with (force)");
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(String name, int iterations, Supplier<Object> operation) {
        for (int i = 0; i < Math.max(5, iterations / 5); i++) {
            operation.get();
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            operation.get();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-72s p50 %7.2f ms  p95 %7.2f ms  (%d runs)%n", name,
                nanos[iterations / 2] / 1e6, nanos[(int) (iterations * 0.95)] / 1e6, iterations);
    }

    private static void admin(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
