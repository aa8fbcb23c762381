package dev.portal.web.bench;

import dev.portal.catalog.bench.SyntheticCatalog;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The web UI's pages over real HTTP at catalog scale: the host application of
 * {@link CatalogHttpBench} on a random port, the synthetic catalog in a scratch database, then
 * p50/p95 of single page requests from one client (so the figure is the server's time to build and
 * render a page, plus a loopback round trip). Prints figures; asserts nothing. Run:
 * {@code ./mvnw -q -pl portal-spring-boot-starter -am -Pbench-ui verify -DskipTests -Dbench.entities=10000}.
 */
public final class UiPagesBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Arrays.stream(args).filter(a -> a.startsWith("--") && a.contains("="))
                .collect(Collectors.toMap(a -> a.substring(2, a.indexOf('=')), a -> a.substring(a.indexOf('=') + 1)));
        int entities = Integer.parseInt(options.getOrDefault("entities", "10000"));
        int runs = Integer.parseInt(options.getOrDefault("runs", "300"));
        String adminUrl = options.getOrDefault("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String database = "portal_uibench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;

        CatalogHttpBench.admin(adminUrl, "create database " + database);
        Path dir = Files.createTempDirectory("portal-ui-bench-");
        try {
            SyntheticCatalog catalog = SyntheticCatalog.write(dir, entities);
            try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CatalogHttpBench.BenchApplication.class)
                    .web(WebApplicationType.SERVLET)
                    .properties(
                            "server.port=0",
                            "spring.datasource.url=" + url,
                            "spring.datasource.username=postgres",
                            "spring.flyway.enabled=false",
                            "portal.catalog.refresh.enabled=false",
                            "portal.scaffolder.enabled=false",
                            "camunda.client.enabled=false",
                            "portal.catalog.locations[0].type=file",
                            "portal.catalog.locations[0].target=" + catalog.root(),
                            "portal.ui.server-timing=true",
                            "logging.level.root=warn")
                    .run()) {
                int port = ((WebServerApplicationContext) app).getWebServer().getPort();
                String base = "http://127.0.0.1:" + port;
                long total = CatalogHttpBench.awaitCatalog(base + "/api/catalog", catalog.total());
                // what autovacuum does soon after a large ingest (these machines run PostgreSQL without it)
                CatalogHttpBench.admin(url, "vacuum analyze");
                System.out.printf("Portal web UI benchmark: %d entities, JDK %s, %d cores, one client, page size 25%n",
                        total, Runtime.version(), Runtime.getRuntime().availableProcessors());

                IntFunction<String> list = i -> base + "/portal/catalog";
                IntFunction<String> filtered = i -> base + "/portal/catalog?kind=Component&lifecycle=production";
                IntFunction<String> search = i -> base + "/portal/catalog?q=component-"
                        + ThreadLocalRandom.current().nextInt(100);
                IntFunction<String> next = i -> base + "/portal/catalog?" + nextPage(base);
                IntFunction<String> component = i -> base + "/portal/catalog/default/component/component-"
                        + ThreadLocalRandom.current().nextInt(catalog.components());
                IntFunction<String> system = i -> base + "/portal/catalog/default/system/system-"
                        + ThreadLocalRandom.current().nextInt(catalog.systems());
                IntFunction<String> group = i -> base + "/portal/catalog/default/group/group-"
                        + ThreadLocalRandom.current().nextInt(catalog.groups());
                IntFunction<String> home = i -> base + "/portal";

                // The JIT compiles the hot paths, every pooled connection prepares its statements.
                List<IntFunction<String>> mix = List.of(list, filtered, search, component, system, group, home);
                long warmUntil = System.nanoTime() + 10_000_000_000L;
                int warmed = 0;
                while (System.nanoTime() < warmUntil) {
                    CatalogHttpBench.get(mix.get(warmed % mix.size()).apply(warmed));
                    warmed++;
                }
                System.out.printf("warm-up: 10 s, %d pages (not counted)%n", warmed);
                latency("GET /portal/catalog (first page; 6 facets over everything)", list, runs);
                latency("GET /portal/catalog?kind=Component&lifecycle=production", filtered, runs);
                latency("GET /portal/catalog?q=component-NN (full-text, facets of the matches)",
                        search, runs);
                String second = next.apply(0);
                latency("GET /portal/catalog?cursor=... (second page)", i -> second, runs);
                latency("GET /portal/catalog/default/component/{name} (entity page, graph)",
                        component, runs);
                latency("GET /portal/catalog/default/system/{name} (parts of parts in the graph)",
                        system, runs);
                latency("GET /portal/catalog/default/group/{name}", group, runs);
                latency("GET /portal (start page, anonymous)", home, runs);
            }
        } finally {
            CatalogHttpBench.admin(adminUrl, "drop database if exists " + database + " with (force)");
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * p50/p95 of {@code runs} requests as the client saw them, and for catalog lists the p50 of
     * each part the server reports in its Server-Timing header (query, facets, render).
     */
    private static void latency(String name, IntFunction<String> request, int runs) throws Exception {
        for (int i = 0; i < Math.max(20, runs / 5); i++) {
            CatalogHttpBench.get(request.apply(i));
        }
        long[] nanos = new long[runs];
        Map<String, double[]> parts = new java.util.LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) java.net.URI.create(request.apply(i))
                    .toURL().openConnection();
            if (connection.getResponseCode() != 200) {
                throw new IllegalStateException("GET " + request.apply(i) + " answered " + connection.getResponseCode());
            }
            try (var body = connection.getInputStream()) {
                body.readAllBytes();
            }
            nanos[i] = System.nanoTime() - start;
            String timing = connection.getHeaderField("Server-Timing");
            if (timing != null) {
                for (String part : timing.split(",")) {
                    String[] nameAndDuration = part.trim().split(";dur=");
                    parts.computeIfAbsent(nameAndDuration[0], key -> new double[runs])[i] =
                            Double.parseDouble(nameAndDuration[1]);
                }
            }
        }
        Arrays.sort(nanos);
        StringBuilder server = new StringBuilder();
        parts.forEach((part, values) -> {
            Arrays.sort(values);
            server.append(String.format("  %s %.2f", part, values[runs / 2]));
        });
        System.out.printf("%-74s p50 %6.2f ms  p95 %6.2f ms%s%n", name, nanos[runs / 2] / 1e6,
                nanos[(int) (runs * 0.95)] / 1e6, server.length() == 0 ? "" : "  (server p50:" + server + ")");
    }

    /** The query string of the list's "Next" link. */
    private static String nextPage(String base) {
        try {
            String html = CatalogHttpBench.get(base + "/portal/catalog");
            int at = html.indexOf("rel=\"next\"");
            String before = html.substring(0, at);
            String href = before.substring(before.lastIndexOf("href=\"") + 6);
            return href.substring(href.indexOf('?') + 1, href.indexOf('"')).replace("&amp;", "&");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
