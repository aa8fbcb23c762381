package dev.portal.sample;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.PortalSchema;
import dev.portal.catalog.refresh.RefreshLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Wires Portal's catalog into this application by hand and loads the demo catalog. (The
 * portal-spring-boot-starter will do this wiring for any host app; until it lands the sample shows
 * the plain Java API.)
 */
@Configuration(proxyBeanMethods = false)
class DemoCatalogConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DemoCatalogConfiguration.class);

    @Bean
    Catalog catalog(DataSource dataSource, @Value("${sample.refresh-interval}") Duration refreshInterval) {
        PortalSchema schema = PortalSchema.defaults();
        schema.migrate(dataSource);
        return new Catalog(schema.dsl(dataSource), CatalogSettings.defaults().withRefreshInterval(refreshInterval));
    }

    @Bean(destroyMethod = "close")
    RefreshLoop refreshLoop(Catalog catalog) {
        return catalog.refreshLoop(Duration.ofSeconds(2));
    }

    @Bean
    ApplicationRunner loadDemoCatalog(Catalog catalog, RefreshLoop refreshLoop,
                                      @Value("${sample.catalog-location}") String catalogLocation) {
        return args -> {
            String target = Path.of(catalogLocation).toAbsolutePath().normalize().toString();
            Catalog.Registration registration = catalog.register(new LocationSpec(LocationSpec.FILE, target),
                    Location.Origin.CONFIG);
            log.info("Demo catalog at {}: {} entities from {} location(s)", target, registration.entities().size(),
                    registration.reports().size());
            registration.errors().forEach(error -> log.warn("Catalog problem: {}", error.message()));
            DemoCatalogSummary.log(catalog);
            refreshLoop.start();
        };
    }
}
