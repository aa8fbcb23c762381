package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.ClasspathLocationReader;
import dev.portal.catalog.ingest.FileLocationReader;
import dev.portal.catalog.ingest.GitLocationReader;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.ParserLimits;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.PortalSchema;
import dev.portal.catalog.query.QueryLimits;
import dev.portal.catalog.refresh.ProcessingListener;
import dev.portal.catalog.refresh.ProcessingReport;
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
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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
                .withMaxDepth(parser.getMaxDepth());
        // Locations users register through the API are fenced; configured ones are trusted.
        LocationPolicy apiLocations = LocationPolicy.fenced(
                properties.getAllowedFileRoots().stream().map(Path::of).toList(), properties.getAllowedHosts());
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

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean
    GitLocationReader portalGitLocationReader(CatalogSettings settings, PortalCatalogProperties properties) {
        return new GitLocationReader(settings.parserLimits().maxBytes(), properties.getRefresh().getReadTimeout(),
                target -> null);
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
        return new ConfiguredLocations(catalog, properties.getLocations(), contributors::orderedStream);
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
