package dev.portal.web.bench;

import dev.portal.catalog.bench.SyntheticCatalog;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>The load generator shares the machine (and the JVM) with the server, so it is kept lean: a
 * blocking {@link HttpURLConnection} per request over the JDK's keep-alive cache, one thread per
 * client. The JDK's {@code java.net.http.HttpClient} hands every exchange between its selector
 * thread and the caller, which on two cores cost about a third of the by-name throughput measured.
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
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
        boolean analyze = Boolean.parseBoolean(options.getOrDefault("analyze", "true"));
        // host settings to try (e.g. management.observations.enable.spring.security=false), ';'-separated
        String[] hostProperties = options.getOrDefault("properties", "").isBlank() ? new String[0]
                : options.get("properties").split(";");
        // one kept-alive connection per client, not the JDK's default of five per host
        System.setProperty("http.maxConnections", Integer.toString(clients * 2));
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
                    .properties(hostProperties)
                    .run()) {
                int port = ((WebServerApplicationContext) app).getWebServer().getPort();
                String base = "http://127.0.0.1:" + port + "/api/catalog";
                long total = awaitCatalog(base, catalog.total());
                System.out.printf("Portal catalog HTTP benchmark: %d entities loaded in %.1f s (start-up and ingest),"
                                + " JDK %s, %d cores%s%n", total, (System.nanoTime() - started) / 1e9, Runtime.version(),
                        Runtime.getRuntime().availableProcessors(),
                        hostProperties.length == 0 ? "" : ", host properties " + String.join(" ", hostProperties));
                if (analyze) {
                    // what autovacuum does soon after a large ingest on a server with default settings
                    // (these machines run PostgreSQL without it): the planner works from statistics
                    admin(url, "vacuum analyze");
                    System.out.println("tables analyzed (as autovacuum would after the ingest)");
                }

                IntFunction<String> byName = i -> base + "/entities/by-name/component/default/component-"
                        + ThreadLocalRandom.current().nextInt(catalog.components());
                IntFunction<String> byQuery = i -> base + "/entities/by-query?limit=100&filter="
                        + "kind%3Dcomponent%2Cspec.lifecycle%3Dproduction";
                IntFunction<String> facets = i -> base + "/entity-facets?facet=spec.type";
                IntFunction<String> mixed = i -> switch (i % 10) {
                    case 8 -> byQuery.apply(i);
                    case 9 -> facets.apply(i);
                    default -> byName.apply(i);
                };
                // the JIT compiles the hot paths (and every pooled connection prepares its statements)
                // under load first: the figures are of a server that has been up for a while
                long warmed = load(mixed, clients, warmup).requests();
                System.out.printf("warm-up: %d s of the mixed load, %d requests (not counted)%n", warmup, warmed);
                latency("GET /entities/by-name/component/default/{name}", byName, 2000);
                latency("GET /entities/by-query (kind=component, spec.lifecycle=production, limit 100)",
                        byQuery, 500);
                latency("GET /entity-facets?facet=spec.type", facets, 500);
                throughput("by-name", byName, clients, seconds);
                throughput("mixed (8 by-name : 1 by-query : 1 facets)", mixed, clients, seconds);
            }
        } finally {
            admin(adminUrl, "drop database if exists " + database + " with (force)");
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static long awaitCatalog(String base, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            String body = get(base + "/entities/by-query?limit=1");
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

    static void latency(String name, IntFunction<String> request, int runs) throws Exception {
        for (int i = 0; i < Math.max(50, runs / 5); i++) {
            get(request.apply(i));
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            get(request.apply(i));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-78s p50 %6.2f ms  p95 %6.2f ms  (%d requests)%n", name, nanos[runs / 2] / 1e6,
                nanos[(int) (runs * 0.95)] / 1e6, runs);
    }

    private static void throughput(String name, IntFunction<String> request, int clients, int seconds)
            throws Exception {
        Load load = load(request, clients, seconds);
        System.out.printf("%-78s %7.0f requests/s  (%d clients, %d s)%n", "throughput, " + name,
                load.requests() / load.seconds(), clients, seconds);
    }

    /** Requests answered, and the seconds from the first request sent to the last answer. */
    private record Load(long requests, double seconds) {
    }

    /** {@code clients} threads sending requests back to back for about {@code seconds}. */
    private static Load load(IntFunction<String> request, int clients, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Future<Integer>> counts = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            counts.add(pool.submit(() -> {
                int done = 0;
                while (System.nanoTime() < end) {
                    get(request.apply(done));
                    done++;
                }
                return done;
            }));
        }
        long requests = 0;
        for (Future<Integer> count : counts) {
            requests += count.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9; // includes the requests still in flight at the end
        pool.shutdown();
        return new Load(requests, elapsed);
    }

    /** One GET; reading the whole body (and closing its stream) hands the connection back for reuse. */
    static String get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        int status = connection.getResponseCode();
        try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            if (status != 200) {
                throw new IllegalStateException("GET " + url + " answered " + status + ": " + text);
            }
            return text;
        }
    }

    static void admin(String url, String sql) throws Exception {
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
