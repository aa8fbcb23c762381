package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code portalCatalog} health indicator, when the host application has Actuator
 * ({@code management.health.portalCatalog.enabled=false} turns it off).
 */
@AutoConfiguration(after = PortalCatalogAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, Catalog.class})
@ConditionalOnBean(Catalog.class)
@ConditionalOnEnabledHealthIndicator("portalCatalog")
public class PortalCatalogHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "portalCatalogHealthIndicator")
    PortalCatalogHealthIndicator portalCatalogHealthIndicator(Catalog catalog) {
        return new PortalCatalogHealthIndicator(catalog);
    }
}
