package dev.portal.web.bench;

import dev.portal.catalog.bench.SyntheticCatalog;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The catalog REST API under load, over real HTTP: a host application with the starter on a random
 * port, a scratch database holding the synthetic catalog, then p50/p95 of single requests and
 * requests per second with concurrent clients. Prints figures; asserts nothing. Run:
 * {@code ./mvnw -q -pl portal-spring-boot-starter -am -Pbench-http verify -DskipTests -Dbench.entities=10000}.
 */
public final class CatalogHttpBench {

    /** A host app as the sample is one: a Spring Security chain in front, reads open, HTTP Basic. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BenchApplication {

        @Bean
        SecurityFilterChain api(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .httpBasic(Customizer.withDefaults())
                    .build();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
        int entities = Integer.parseInt(options.getOrDefault("entities", "10000"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "8"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        String adminUrl = options.getOrDefault("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String database = "portal_httpbench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;

        admin(adminUrl, "create database " + database);
        Path dir = Files.createTempDirectory("portal-http-bench-");
        try {
            SyntheticCatalog catalog = SyntheticCatalog.write(dir, entities);
            long started = System.nanoTime();
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(BenchApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .properties(
                            "server.port=0",
                            "spring.datasource.url=" + url,
                            "spring.datasource.username=postgres",
                            "spring.datasource.hikari.maximum-pool-size=" + (clients + 2),
                            "spring.flyway.enabled=false",
                            "portal.catalog.refresh.enabled=false",
                            // the catalog alone: no Scaffolder workers polling for an engine in the background
                            "portal.scaffolder.enabled=false",
                            "camunda.client.enabled=false",
                            "portal.catalog.locations[0].type=file",
                            "portal.catalog.locations[0].target=" + catalog.root(),
                            "logging.level.root=warn")
                    .run()) {
                int port = ((WebServerApplicationContext) app).getWebServer().getPort();
                String base = "http://127.0.0.1:" + port + "/api/catalog";
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long total = awaitCatalog(http, base, catalog.total());
                System.out.printf("Portal catalog HTTP benchmark: %d entities loaded in %.1f s (start-up and ingest),"
                                + " JDK %s, %d cores%n", total, (System.nanoTime() - started) / 1e9, Runtime.version(),
                        Runtime.getRuntime().availableProcessors());

                IntFunction<String> byName = i -> base + "/entities/by-name/component/default/component-"
                        + ThreadLocalRandom.current().nextInt(catalog.components());
                IntFunction<String> byQuery = i -> base + "/entities/by-query?limit=100&filter="
                        + "kind%3Dcomponent%2Cspec.lifecycle%3Dproduction";
                IntFunction<String> facets = i -> base + "/entity-facets?facet=spec.type";
                latency(http, "GET /entities/by-name/component/default/{name}", byName, 2000);
                latency(http, "GET /entities/by-query (kind=component, spec.lifecycle=production, limit 100)",
                        byQuery, 300);
                latency(http, "GET /entity-facets?facet=spec.type", facets, 300);
                throughput(http, "by-name", byName, clients, seconds);
                throughput(http, "mixed (8 by-name : 1 by-query : 1 facets)", i -> switch (i % 10) {
                    case 8 -> byQuery.apply(i);
                    case 9 -> facets.apply(i);
                    default -> byName.apply(i);
                }, clients, seconds);
            }
        } finally {
            admin(adminUrl, "drop database if exists " + database + " with (force)");
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long awaitCatalog(HttpClient http, String base, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            String body = get(http, base + "/entities/by-query?limit=1");
            int at = body.indexOf("\"totalItems\":");
            if (at >= 0) {
                long total = Long.parseLong(body.substring(at + 13).split("[,}]")[0].trim());
                if (total >= expected) {
                    return total;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the catalog did not reach " + expected + " entities within 5 minutes");
    }

    private static void latency(HttpClient http, String name, IntFunction<String> request, int runs) throws Exception {
        for (int i = 0; i < Math.max(50, runs / 5); i++) {
            get(http, request.apply(i));
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            get(http, request.apply(i));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-78s p50 %6.2f ms  p95 %6.2f ms  (%d requests)%n", name, nanos[runs / 2] / 1e6,
                nanos[(int) (runs * 0.95)] / 1e6, runs);
    }

    private static void throughput(HttpClient http, String name, IntFunction<String> request, int clients,
                                   int seconds) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            counts.add(pool.submit(() -> {
                int done = 0;
                while (System.nanoTime() < end) {
                    get(http, request.apply(done));
                    done++;
                }
                return done;
            }));
        }
        long requests = 0;
        for (Future<Integer> count : counts) {
            requests += count.get();
        }
        pool.shutdown();
        System.out.printf("%-78s %7.0f requests/s  (%d clients, %d s)%n", "throughput, " + name,
                requests / (double) seconds, clients, seconds);
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static void admin(String url, String sql) throws Exception {
        // Through the driver's DataSource: DriverManager cannot see drivers of exec:java's class loader.
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setUrl(url);
        admin.setUser("postgres");
        try (Connection connection = admin.getConnection();
             var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
