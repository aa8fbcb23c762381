package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.ClasspathLocationReader;
import dev.portal.catalog.ingest.FileLocationReader;
import dev.portal.catalog.ingest.GitLocationReader;
import dev.portal.catalog.ingest.GitUrl;
import dev.portal.catalog.ingest.HostCredentials;
import dev.portal.catalog.ingest.HttpLocationReader;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.ParserLimits;
import dev.portal.catalog.ingest.ReadingAllowList;
import dev.portal.catalog.ingest.UrlLocationReader;
import dev.portal.catalog.ingest.discovery.DiscoveryLocationReader;
import dev.portal.catalog.ingest.ldap.LdapOrgLocationReader;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.orchestration.ProcessingListener;
import dev.portal.catalog.orchestration.ProcessingReport;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.PortalSchema;
import dev.portal.catalog.query.QueryLimits;
import dev.portal.error.InvalidInputException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Portal's software catalog in the host application's database: the migrated portal schema, the
 * location readers, the {@link Catalog}, configured locations and the background refresh. Every
 * bean backs off when the host defines its own of the same type.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Catalog.class)
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "portal.catalog", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PortalCatalogProperties.class)
// Orders PortalDatabase (a database initializer, see PortalDatabaseInitializerDetector) before
// JPA, JdbcTemplate, jOOQ and @DependsOnDatabaseInitialization beans; idempotent if Boot's own
// database auto-configurations import it too.
@Import(DatabaseInitializationDependencyConfigurer.class)
public class PortalCatalogAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PortalDatabase portalDatabase(DataSource dataSource, PortalCatalogProperties properties) {
        return PortalDatabase.migrate(dataSource, new PortalSchema(properties.getSchema()));
    }

    @Bean
    @ConditionalOnMissingBean
    CatalogSettings portalCatalogSettings(PortalCatalogProperties properties) {
        PortalCatalogProperties.Parser parser = properties.getParser();
        ParserLimits limits = ParserLimits.defaults()
                .withMaxBytes(Math.toIntExact(parser.getMaxSize().toBytes()))
                .withMaxDocuments(parser.getMaxDocuments())
                .withMaxAliases(parser.getMaxAliases())
                .withMaxDepth(parser.getMaxDepth())
                .withMaxSubstitutions(parser.getMaxSubstitutions());
        // Locations users register through the API are fenced; configured ones are trusted. A plain
        // HTTP file must also be on the reading allow-list, which its reader checks on every read.
        ReadingAllowList allowList = readingAllowList(properties);
        LocationPolicy apiLocations = LocationPolicy.fenced(
                properties.getAllowedFileRoots().stream().map(Path::of).toList(), properties.getAllowedHosts())
                .and(plainHttpFiles(allowList));
        PortalCatalogProperties.Api api = properties.getApi();
        QueryLimits queryLimits = new QueryLimits(api.getMaxFilterItems(), api.getMaxFilterDepth(),
                api.getMaxOrderFields(), api.getMaxFields(), api.getMaxFacets(), api.getMaxFullTextLength(),
                api.getMaxFullTextFields(), api.getMaxRefs(), api.getStatementTimeout());
        return CatalogSettings.defaults()
                .withStrictReferences(properties.isStrictReferences())
                .withRefreshInterval(properties.getRefresh().getInterval())
                .withParserLimits(limits)
                .withApiLocationPolicy(apiLocations)
                .withNestedLocationLimits(properties.getMaxNestedLocations(), properties.getMaxLocationsPerRegistration())
                .withQueryLimits(queryLimits)
                .withClaimLease(claimLease(properties.getRefresh()));
    }

    /** The reading allow-list's answer for plain HTTP files; git shapes and other types pass. */
    private static LocationPolicy plainHttpFiles(ReadingAllowList allowList) {
        return location -> {
            if (!LocationSpec.URL.equals(location.type())) {
                return Optional.empty();
            }
            try {
                return GitUrl.parse(location.target()).isPresent() ? Optional.empty()
                        : allowList.refusal(URI.create(location.target()));
            } catch (InvalidInputException | IllegalArgumentException e) {
                return Optional.empty();   // the host fence has refused it already, naming why
            }
        };
    }

    static ReadingAllowList readingAllowList(PortalCatalogProperties properties) {
        List<PortalCatalogProperties.AllowedHost> allow = properties.getReading().getAllow();
        for (int i = 0; i < allow.size(); i++) {
            if (allow.get(i).getHost() == null || allow.get(i).getHost().isBlank()) {
                throw new IllegalStateException("portal.catalog.reading.allow[" + i + "].host must be set");
            }
        }
        return new ReadingAllowList(allow.stream()
                .map(entry -> new ReadingAllowList.Entry(entry.getHost(), entry.getPaths(), entry.isHttp())).toList());
    }

    static HostCredentials hostCredentials(PortalCatalogProperties properties) {
        List<PortalCatalogProperties.HostCredentials> credentials = properties.getReading().getCredentials();
        for (int i = 0; i < credentials.size(); i++) {
            if (credentials.get(i).getHost() == null || credentials.get(i).getPassword() == null) {
                throw new IllegalStateException("portal.catalog.reading.credentials[" + i + "] needs a host and a password");
            }
        }
        return new HostCredentials(credentials.stream().map(entry -> new HostCredentials.Entry(entry.getHost(),
                entry.getUsername(), entry.getPassword(), entry.isAllowHttp())).toList());
    }

    private static Duration claimLease(PortalCatalogProperties.Refresh refresh) {
        // a git read is two remote operations, each allowed the read timeout
        if (refresh.getClaimLease().compareTo(refresh.getReadTimeout().multipliedBy(2)) <= 0) {
            throw new IllegalStateException("portal.catalog.refresh.claim-lease (" + refresh.getClaimLease()
                    + ") must be longer than twice portal.catalog.refresh.read-timeout (" + refresh.getReadTimeout()
                    + "), or a slow read would lose its claim to another worker");
        }
        return refresh.getClaimLease();
    }

    // The built-in readers come last among readers: a host's own reader for the same type, ordered
    // or not, is met first and wins (see portalCatalog).
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean
    FileLocationReader portalFileLocationReader(CatalogSettings settings, PortalCatalogProperties properties) {
        return new FileLocationReader(settings.parserLimits().maxBytes(), properties.getRefresh().getReadTimeout());
    }

    /**
     * {@code url} locations: git shapes with JGit (credentials per host from
     * {@code portal.catalog.reading.credentials}), plain HTTP files behind {@code portal.catalog.reading.allow}.
     */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean
    UrlLocationReader portalUrlLocationReader(CatalogSettings settings, PortalCatalogProperties properties) {
        int maxBytes = settings.parserLimits().maxBytes();
        Duration timeout = properties.getRefresh().getReadTimeout();
        return new UrlLocationReader(new GitLocationReader(maxBytes, timeout, hostCredentials(properties)),
                new HttpLocationReader(maxBytes, timeout, readingAllowList(properties)));
    }

    /** {@code discovery:<id>} locations: repositories of portal.catalog.providers.discovery.&lt;id&gt;. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean
    DiscoveryLocationReader portalDiscoveryLocationReader(CatalogSettings settings, PortalCatalogProperties properties) {
        return new DiscoveryLocationReader(CatalogProviders.discoveries(properties),
                properties.getRefresh().getReadTimeout(), hostCredentials(properties), settings.parserLimits().maxBytes());
    }

    /** {@code ldap-org:<id>} locations, when the UnboundID LDAP SDK is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.unboundid.ldap.sdk.LDAPConnection")
    static class LdapOrgConfiguration {

        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        @ConditionalOnMissingBean
        LdapOrgLocationReader portalLdapOrgLocationReader(CatalogSettings settings, PortalCatalogProperties properties) {
            return new LdapOrgLocationReader(CatalogProviders.ldapOrgs(properties), settings.parserLimits().maxBytes(),
                    settings.parserLimits().maxDocuments());
        }
    }

    /** Descriptors inside the application's jars (the standard templates); configuration only, never the API. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean
    ClasspathLocationReader portalClasspathLocationReader(CatalogSettings settings, ResourceLoader resourceLoader) {
        return new ClasspathLocationReader(resourceLoader.getClassLoader() != null ? resourceLoader.getClassLoader()
                : ClasspathLocationReader.class.getClassLoader(), settings.parserLimits().maxBytes());
    }

    @Bean
    @ConditionalOnMissingBean
    Catalog portalCatalog(PortalDatabase database, CatalogSettings settings, EntityQueries entities,
                          ObjectProvider<LocationReader> readers,
                          ObjectProvider<ProcessingListener> listeners) {
        List<LocationReader> firstReaderPerType = firstReaderPerType(readers);
        // Listener beans are looked up when something is processed, not now: the metrics listener
        // (among others) may itself depend on beans created after the catalog.
        ProcessingListener toListenerBeans = new ProcessingListener() {
            @Override
            public void processed(ProcessingReport report, Duration took) {
                listeners.orderedStream().forEach(listener -> listener.processed(report, took));
            }

            @Override
            public void failed(Location location, RuntimeException failure, Duration took) {
                listeners.orderedStream().forEach(listener -> listener.failed(location, failure, took));
            }
        };
        return new Catalog(database.dsl(), settings, entities, firstReaderPerType, toListenerBeans);
    }

    /**
     * The read side, as a bean of its own so that it can be replaced or decorated (the query timer
     * is): the catalog hands this one to every reader, the REST API and the web pages included.
     */
    @Bean
    @ConditionalOnMissingBean
    EntityQueries portalEntityQueries(PortalDatabase database, CatalogSettings settings) {
        return EntityQueries.jooq(database.dsl(), settings.queryLimits());
    }

    @Bean
    @ConditionalOnMissingBean
    ConfiguredLocations portalConfiguredLocations(Catalog catalog, PortalCatalogProperties properties,
                                                  ObjectProvider<ConfiguredLocations.Contributor> contributors) {
        return new ConfiguredLocations(catalog, properties.getLocations(), CatalogProviders.locations(properties),
                contributors::orderedStream);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "portal.catalog.refresh", name = "enabled", matchIfMissing = true)
    CatalogRefresh portalCatalogRefresh(Catalog catalog, PortalCatalogProperties properties) {
        return new CatalogRefresh(catalog.refreshLoop(properties.getRefresh().getPollInterval(),
                properties.getRefresh().getWorkers()));
    }

    /** The first reader of each location type, in bean order: a host's own reader wins over the built-in one. */
    public static List<LocationReader> firstReaderPerType(ObjectProvider<LocationReader> readers) {
        return readers.orderedStream()
                .collect(Collectors.toMap(LocationReader::type, reader -> reader, (first, later) -> first,
                        LinkedHashMap::new))
                .values().stream().toList();
    }
}
