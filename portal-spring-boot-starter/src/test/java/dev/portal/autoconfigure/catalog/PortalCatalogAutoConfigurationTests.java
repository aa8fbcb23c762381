package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.FileLocationReader;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.query.QueryLimits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PortalCatalogAutoConfigurationTests {

    private static TestDatabase database;

    private ApplicationContextRunner contextRunner;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    PortalCatalogAutoConfigurationTests() {
        contextRunner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        PortalCatalogAutoConfiguration.class, PortalCatalogHealthContributorAutoConfiguration.class,
                        PortalCatalogMetricsAutoConfiguration.class))
                .withPropertyValues(database.datasourceProperties())
                // The background loop would only race the assertions; the tests that want it say so.
                .withPropertyValues("portal.catalog.refresh.enabled=false");
    }

    @Test
    void backsOffWithoutADataSource() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PortalCatalogAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Catalog.class)
                        .doesNotHaveBean(PortalDatabase.class));
    }

    @Test
    void backsOffWhenDisabled() {
        contextRunner.withPropertyValues("portal.catalog.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(Catalog.class).doesNotHaveBean(PortalDatabase.class));
    }

    @Test
    void backsOffWithoutPortalCore() {
        contextRunner.withClassLoader(new FilteredClassLoader(Catalog.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(PortalCatalogAutoConfiguration.class));
    }

    @Test
    void definesTheCatalogAndItsReadSide() {
        contextRunner.run(ctx -> assertThat(ctx).hasSingleBean(Catalog.class).hasSingleBean(EntityQueries.class)
                .hasSingleBean(CatalogSettings.class).hasSingleBean(ConfiguredLocations.class));
    }

    @Test
    void migratesThePortalSchemaInTheHostDatabase() {
        contextRunner.run(ctx -> {
            assertThat(ctx.getBean(PortalDatabase.class).schema().name()).isEqualTo("portal");
            assertThat(tableExists("portal", "entities")).isTrue();
            assertThat(tableExists("portal", "portal_schema_history")).isTrue();
        });
    }

    @Test
    void definesNoDslContextNorFlyway() {
        // Either would make Spring Boot's jOOQ or Flyway auto-configuration back off for the host.
        contextRunner.run(ctx -> assertThat(ctx).doesNotHaveBean(DSLContext.class).doesNotHaveBean(Flyway.class));
    }

    @Test
    void userDefinedCatalogWins() {
        contextRunner.withUserConfiguration(UserCatalog.class)
                .run(ctx -> assertThat(ctx.getBean(Catalog.class)).isSameAs(ctx.getBean("userCatalog")));
    }

    @Test
    void userDefinedSettingsWin() {
        CatalogSettings settings = CatalogSettings.defaults().withRefreshInterval(Duration.ofSeconds(42));
        contextRunner.withBean(CatalogSettings.class, () -> settings)
                .run(ctx -> assertThat(ctx.getBean(Catalog.class).settings()).isSameAs(settings));
    }

    @Test
    void fencesApiLocationsByTheAllowedRootsAndHosts() {
        contextRunner.withPropertyValues("portal.catalog.allowed-file-roots=/srv/catalog",
                        "portal.catalog.allowed-hosts=git.example.com")
                .run(ctx -> {
                    LocationPolicy policy = ctx.getBean(CatalogSettings.class).apiLocationPolicy();
                    assertThat(policy.refusal(new LocationSpec("file", "/srv/catalog/a.yaml"))).isEmpty();
                    assertThat(policy.refusal(new LocationSpec("file", "/etc/passwd"))).isPresent();
                    assertThat(policy.refusal(new LocationSpec("url",
                            "https://git.example.com/a.git/-/blob/main/catalog-info.yaml"))).isEmpty();
                });
    }

    @Test
    void refusesEveryApiLocationByDefault() {
        contextRunner.run(ctx -> {
            LocationPolicy policy = ctx.getBean(CatalogSettings.class).apiLocationPolicy();
            assertThat(policy.refusal(new LocationSpec("file", "/srv/catalog/a.yaml"))).isPresent();
            assertThat(policy.refusal(new LocationSpec("url",
                    "https://git.example.com/a.git/-/blob/main/catalog-info.yaml"))).isPresent();
        });
    }

    @Test
    void bindsStrictReferences() {
        contextRunner.withPropertyValues("portal.catalog.strict-references=true")
                .run(ctx -> assertThat(ctx.getBean(CatalogSettings.class).strictReferences()).isTrue());
    }

    @Test
    void bindsRefreshInterval() {
        contextRunner.withPropertyValues("portal.catalog.refresh.interval=10s")
                .run(ctx -> assertThat(ctx.getBean(CatalogSettings.class).refreshInterval())
                        .isEqualTo(Duration.ofSeconds(10)));
    }

    @Test
    void bindsParserLimits() {
        contextRunner.withPropertyValues("portal.catalog.parser.max-size=64KB", "portal.catalog.parser.max-documents=7",
                        "portal.catalog.parser.max-aliases=3", "portal.catalog.parser.max-depth=9")
                .run(ctx -> {
                    var limits = ctx.getBean(CatalogSettings.class).parserLimits();
                    assertThat(limits.maxBytes()).isEqualTo(64 * 1024);
                    assertThat(limits.maxDocuments()).isEqualTo(7);
                    assertThat(limits.maxAliases()).isEqualTo(3);
                    assertThat(limits.maxDepth()).isEqualTo(9);
                });
    }

    @Test
    void bindsQueryLimitsWithDefaultsThatHoldAgainstRunawayReads() {
        contextRunner.run(ctx -> assertThat(ctx.getBean(CatalogSettings.class).queryLimits())
                .isEqualTo(QueryLimits.defaults()));
        contextRunner.withPropertyValues("portal.catalog.api.statement-timeout=750ms",
                        "portal.catalog.api.max-filter-items=50", "portal.catalog.api.max-filter-depth=4",
                        "portal.catalog.api.max-order-fields=2", "portal.catalog.api.max-fields=30",
                        "portal.catalog.api.max-facets=5", "portal.catalog.api.max-full-text-length=64",
                        "portal.catalog.api.max-full-text-fields=3", "portal.catalog.api.max-refs=250")
                .run(ctx -> assertThat(ctx.getBean(CatalogSettings.class).queryLimits()).isEqualTo(
                        new QueryLimits(50, 4, 2, 30, 5, 64, 3, 250, Duration.ofMillis(750))));
    }

    @Test
    void bindsSchemaName() {
        contextRunner.withPropertyValues("portal.catalog.schema=portal_custom")
                .run(ctx -> {
                    assertThat(ctx.getBean(PortalDatabase.class).schema().name()).isEqualTo("portal_custom");
                    assertThat(tableExists("portal_custom", "entities")).isTrue();
                });
    }

    @Test
    void invalidSchemaNameFailsStartUp() {
        contextRunner.withPropertyValues("portal.catalog.schema=Portal-Schema")
                .run(ctx -> assertThat(ctx).getFailure().rootCause()
                        .hasMessageContaining("portal schema name 'Portal-Schema' must be a lower-case SQL identifier"));
    }

    @Test
    void hostReaderForATypeReplacesTheBuiltInOne() {
        contextRunner.withBean("hostFileReader", LocationReader.class, HostFileReader::new)
                .withPropertyValues("portal.catalog.locations[0].target=/anywhere/catalog-info.yaml")
                .run(ctx -> assertThat(ctx.getBean(Catalog.class).entities()
                        .byRef(EntityRef.parse("component:default/from-host-reader"))).isPresent());
    }

    @Test
    void relativeFileLocationFailsStartUp() {
        contextRunner.withPropertyValues("portal.catalog.locations[0].target=catalog/all.yaml")
                .run(ctx -> assertThat(ctx).getFailure().rootCause()
                        .hasMessageContaining("portal.catalog.locations[0].target 'catalog/all.yaml' must be an absolute path"));
    }

    @Test
    void unsupportedLocationTypeFailsStartUp() {
        contextRunner.withPropertyValues("portal.catalog.locations[0].type=svn",
                        "portal.catalog.locations[0].target=svn://example.com/catalog-info.yaml")
                .run(ctx -> assertThat(ctx).getFailure()
                        .hasStackTraceContaining("portal.catalog.locations[0].type: location type 'svn' is not supported"));
    }

    @Test
    void missingFileDoesNotFailStartUp() {
        contextRunner.withPropertyValues("portal.catalog.locations[0].target=/no/such/catalog-info.yaml")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    Catalog catalog = ctx.getBean(Catalog.class);
                    var location = catalog.location(new LocationSpec("file", "/no/such/catalog-info.yaml"));
                    assertThat(location).hasValueSatisfying(l -> assertThat(l.lastError()).contains("no such file"));
                });
    }

    @Test
    void refreshRunsWhenEnabled() {
        contextRunner.withPropertyValues("portal.catalog.refresh.enabled=true", "portal.catalog.refresh.poll-interval=1h")
                .run(ctx -> assertThat(ctx).hasSingleBean(CatalogRefresh.class)
                .getBean(CatalogRefresh.class).matches(CatalogRefresh::isRunning, "running"));
    }

    @Test
    void refreshDisabledDefinesNoLifecycle() {
        contextRunner.withPropertyValues("portal.catalog.refresh.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CatalogRefresh.class));
    }

    @Test
    void healthIndicatorReportsUpWithActuator() {
        contextRunner.run(ctx -> assertThat(ctx.getBean("portalCatalogHealthIndicator", HealthIndicator.class)
                .health().getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void noHealthIndicatorWithoutActuator() {
        contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(Catalog.class).doesNotHaveBean(HealthIndicator.class));
    }

    @Test
    void healthIndicatorCanBeDisabled() {
        contextRunner.withPropertyValues("management.health.portalCatalog.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(HealthIndicator.class));
    }

    @Test
    void noMetersWithoutMeterRegistry() {
        contextRunner.run(ctx -> assertThat(ctx).doesNotHaveBean(PortalCatalogMetrics.class)
                .getBean(EntityQueries.class).isNotInstanceOf(TimedEntityQueries.class));
    }

    @Test
    void timesQueriesWithMeterRegistry() {
        contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(ctx -> {
                    EntityQueries queries = ctx.getBean(EntityQueries.class);
                    queries.byRef(EntityRef.parse("component:default/nothing"));
                    queries.byRef(EntityRef.parse("component:default/nothing-either"));
                    assertThat(ctx.getBean(MeterRegistry.class).get("portal.catalog.query")
                            .tag("operation", "byRef").tag("outcome", "success").timer().count()).isEqualTo(2);
                });
    }

    @Test
    void countsEntitiesOfConfiguredLocationsWithMeterRegistry() {
        contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("portal.catalog.schema=portal_metrics",
                        "portal.catalog.locations[0].target=" + fixture("catalog/acme.yaml"))
                .run(ctx -> {
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    assertThat(registry.get("portal.catalog.entities.created").counter().count()).isEqualTo(2);
                    assertThat(registry.get("portal.catalog.entities.stored").gauge().value()).isEqualTo(2);
                });
    }

    static String fixture(String path) {
        return Path.of("src/test/resources", path).toAbsolutePath().normalize().toString();
    }

    private static boolean tableExists(String schema, String table) throws Exception {
        try (Connection connection = database.connect();
             ResultSet rs = connection.getMetaData().getTables(null, schema, table, null)) {
            return rs.next();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCatalog {

        @Bean
        Catalog userCatalog(PortalDatabase database) {
            return new Catalog(database.dsl(), CatalogSettings.defaults());
        }
    }

    /** A host's own reader for {@code file} locations, serving one fixed component. */
    static class HostFileReader implements LocationReader {

        private final FileLocationReader files = new FileLocationReader(1024);

        @Override
        public String type() {
            return "file";
        }

        @Override
        public SourceContent read(LocationSpec location, String knownVersion) {
            String yaml = """
                    apiVersion: backstage.io/v1alpha1
                    kind: Component
                    metadata:
                      name: from-host-reader
                    spec:
                      type: service
                      lifecycle: production
                      owner: group:default/somebody
                    """;
            return new SourceContent("v1", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public LocationSpec resolve(LocationSpec base, String target) {
            return files.resolve(base, target);
        }
    }

    @Test
    void urlLocationsAreReadFromGitOrOverPlainHttpBehindTheReadingAllowList() {
        contextRunner.withPropertyValues("portal.catalog.reading.allow[0].host=config.example.com",
                        "portal.catalog.reading.allow[0].paths=/catalog",
                        "portal.catalog.allowed-hosts=*.example.com")
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(dev.portal.catalog.ingest.UrlLocationReader.class);
                    LocationPolicy fence = ctx.getBean(CatalogSettings.class).apiLocationPolicy();
                    assertThat(fence.refusal(new LocationSpec("url", "https://config.example.com/catalog/all.yaml"))).isEmpty();
                    assertThat(fence.refusal(new LocationSpec("url", "https://config.example.com/other/all.yaml")))
                            .hasValueSatisfying(reason -> assertThat(reason).contains("portal.catalog.reading.allow"));
                    assertThat(fence.refusal(new LocationSpec("url", "https://git.example.com/a/b/blob/main/x.yaml"))).isEmpty();
                });
    }

    @Test
    void anLdapOrgProviderIsATrustedConfiguredLocationAndTheApiMayNotNameOne() {
        contextRunner.withPropertyValues("portal.catalog.providers.ldap-org.corp.target=ldap://127.0.0.1:1",
                        "portal.catalog.providers.ldap-org.corp.users[0].dn=ou=people,dc=example,dc=net",
                        "portal.catalog.providers.ldap-org.corp.timeout=1s")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(dev.portal.catalog.ingest.ldap.LdapOrgLocationReader.class);
                    dev.portal.catalog.model.Location location = ctx.getBean(Catalog.class)
                            .location(new LocationSpec("ldap-org", "corp")).orElseThrow();
                    assertThat(location.origin()).isEqualTo(dev.portal.catalog.model.Location.Origin.CONFIG);
                    assertThat(location.trusted()).isTrue();
                    assertThat(location.lastError()).contains("cannot reach ldap://127.0.0.1:1");
                    assertThat(ctx.getBean(CatalogSettings.class).apiLocationPolicy()
                            .refusal(new LocationSpec("ldap-org", "corp"))).isPresent();
                });
    }

    @Test
    void anLdapOrgProviderWithoutTheLdapSdkStopsStartUpNamingWhatIsMissing() {
        contextRunner.withClassLoader(new FilteredClassLoader("com.unboundid"))
                .withPropertyValues("portal.catalog.providers.ldap-org.corp.target=ldap://127.0.0.1:1")
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .hasMessageContaining("com.unboundid:unboundid-ldapsdk"));
    }

    @Test
    void aDiscoveryIsAConfiguredLocationNotTrustedUnlessItSaysSo() {
        contextRunner.withPropertyValues("portal.catalog.providers.discovery.acme.repositories=file:///nowhere/acme.git")
                .run(ctx -> {
                    dev.portal.catalog.model.Location location = ctx.getBean(Catalog.class)
                            .location(new LocationSpec("discovery", "acme")).orElseThrow();
                    assertThat(location.trusted()).isFalse();
                    assertThat(location.lastError()).contains("file:///nowhere/acme.git");
                });
    }
}
