package dev.portal.catalog.ingest;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.orchestration.ProcessingReport;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plain HTTP(S) descriptor files, read from a local HTTP server behind the reading allow-list. */
class HttpLocationIntegrationTests {

    private static final String YAML = "application/yaml";

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    TestHttpServer server;
    String base;

    @BeforeEach
    void start() throws Exception {
        server = new TestHttpServer(null);
        base = server.url();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Catalog catalog(ReadingAllowList allow, int maxBytes) {
        CatalogSettings settings = CatalogSettings.defaults()
                .withParserLimits(CatalogSettings.defaults().parserLimits().withMaxBytes(maxBytes))
                .withApiLocationPolicy(LocationPolicy.fenced(List.of(), List.of("127.0.0.1")));
        return new Catalog(db.dsl(), settings, List.of(new UrlLocationReader(
                new GitLocationReader(maxBytes), new HttpLocationReader(maxBytes, Duration.ofSeconds(3), allow))));
    }

    private Catalog catalog() {
        return catalog(new ReadingAllowList(List.of(new ReadingAllowList.Entry("127.0.0.1", List.of("/catalog"), true))),
                64 * 1024);
    }

    private static LocationSpec url(String url) {
        return new LocationSpec(LocationSpec.URL, url);
    }

    @Test
    void readsAFileFromAnAllowedHostAndItsNestedLocationsRelativeToTheUrl() {
        server.serve("/catalog/all.yaml", YAML, """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: all}
                spec:
                  targets: [./teams/payments.yaml, ../catalog/other.yaml]
                """);
        server.serve("/catalog/teams/payments.yaml", YAML, component("ledger", "payments"));
        server.serve("/catalog/other.yaml", YAML, component("billing", "payments"));

        Catalog.Registration registration = catalog().register(url(base + "/catalog/all.yaml"), Location.Origin.API);

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).contains(EntityRef.parse("component:default/ledger"),
                EntityRef.parse("component:default/billing"));
    }

    @Test
    void anUnchangedFileIsAnsweredNotModifiedAndNotProcessedAgain() {
        server.serve("/catalog/etag.yaml", new TestHttpServer.Response(200, YAML,
                component("etagged", "payments").getBytes(), Map.of("ETag", "\"v1\"")));
        Catalog catalog = catalog();
        Catalog.Registration first = catalog.register(url(base + "/catalog/etag.yaml"), Location.Origin.CONFIG);
        assertThat(first.entities()).contains(EntityRef.parse("component:default/etagged"));

        ProcessingReport again = catalog.refresh(EntityRef.parse("component:default/etagged")).orElseThrow();

        assertThat(again.unchanged()).isTrue();
        assertThat(server.requests()).contains("GET /catalog/etag.yaml if-none-match");
    }

    @Test
    void hostsPathsAndPlainHttpMustBeListed() {
        server.serve("/catalog/a.yaml", YAML, component("a", "payments"));
        server.serve("/elsewhere/a.yaml", YAML, component("a", "payments"));
        Catalog nothingAllowed = catalog(ReadingAllowList.nothing(), 64 * 1024);
        Catalog httpsOnly = catalog(new ReadingAllowList(List.of(new ReadingAllowList.Entry("127.0.0.1", List.of(), false))),
                64 * 1024);

        assertThat(nothingAllowed.register(url(base + "/catalog/a.yaml"), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("portal.catalog.reading.allow is empty"));
        assertThat(catalog().register(url(base + "/elsewhere/a.yaml"), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("outside the allowed paths [/catalog]"));
        assertThat(httpsOnly.register(url(base + "/catalog/a.yaml"), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("https only"));
    }

    @Test
    void redirectsAreCheckedAgainstTheAllowListAtEveryHop() {
        server.serve("/catalog/moved.yaml", TestHttpServer.Response.redirect(base + "/catalog/here.yaml"));
        server.serve("/catalog/here.yaml", YAML, component("moved", "payments"));
        server.serve("/catalog/away.yaml", TestHttpServer.Response.redirect("http://169.254.169.254/latest/meta-data.yaml"));

        assertThat(catalog().register(url(base + "/catalog/moved.yaml"), Location.Origin.CONFIG).entities())
                .contains(EntityRef.parse("component:default/moved"));
        assertThat(catalog().register(url(base + "/catalog/away.yaml"), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message())
                        .contains("redirected to http://169.254.169.254").contains("not in the reading allow-list"));
    }

    @Test
    void aFileLargerThanTheLimitIsRefused() {
        server.serve("/catalog/big.yaml", YAML, component("big", "payments") + "# " + "x".repeat(5_000) + "\n");

        assertThat(catalog(new ReadingAllowList(List.of(new ReadingAllowList.Entry("127.0.0.1", List.of(), true))), 1_000)
                .register(url(base + "/catalog/big.yaml"), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("larger than 1000 bytes"));
    }

    @Test
    void aServerThatStallsIsGivenUpAfterTheReadTimeout() {
        server.serve("/catalog/slow.yaml", new TestHttpServer.Response(200, YAML,
                component("slow", "payments").getBytes(), Map.of("X-Test-Delay-Ms", "8000")));
        long start = System.nanoTime();

        assertThat(catalog().register(url(base + "/catalog/slow.yaml"), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("took longer than 3000 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(7));
    }

    @Test
    void registeringThroughTheApiRefusesAFileThatCannotBeReadAndStoresNothing() {
        Catalog catalog = catalog();
        LocationSpec missing = url(base + "/catalog/missing.yaml");

        assertThatThrownBy(() -> catalog.register(missing, Location.Origin.API,
                new dev.portal.catalog.orchestration.BeforeWrite() {
                    @Override
                    public void read(java.util.Set<String> kinds) {
                    }

                    @Override
                    public void unreadable(String problem) {
                        throw new dev.portal.error.InvalidInputException(problem);
                    }
                })).hasMessageContaining("HTTP 404");
        assertThat(catalog.location(missing)).isEmpty();
    }

    @Test
    void loopbackAndPrivateAddressesAreReadOnlyFromHostsNamedExactly() {
        // a wildcard that happens to match an address, as a DNS answer nobody expected would
        ReadingAllowList wildcard = new ReadingAllowList(List.of(new ReadingAllowList.Entry("*.0.0.1", List.of(), true)));
        ReadingAllowList named = new ReadingAllowList(List.of(new ReadingAllowList.Entry("localhost", List.of(), true)));

        assertThat(wildcard.refusal(URI.create("http://127.0.0.1:8080/a.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("internal address"));
        assertThat(named.refusal(URI.create("http://localhost:8080/a.yaml"))).isEmpty();
        assertThat(named.refusal(URI.create("http://localhost:8080/%2e%2e/etc/passwd.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("encoded dot"));
    }

    @Test
    void theApiFenceAndTheAllowListBothApplyToAPlainFile() {
        LocationPolicy fence = LocationPolicy.fenced(List.of(), List.of("config.example.com"));

        assertThat(fence.refusal(url("https://other.example.com/catalog/a.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("portal.catalog.allowed-hosts"));
        assertThat(new HttpLocationReader(1000, Duration.ofSeconds(1), ReadingAllowList.nothing())
                .refusal(url("https://config.example.com/catalog/a.yaml")))
                .hasValueSatisfying(reason -> assertThat(reason).contains("portal.catalog.reading.allow"));
    }
}
