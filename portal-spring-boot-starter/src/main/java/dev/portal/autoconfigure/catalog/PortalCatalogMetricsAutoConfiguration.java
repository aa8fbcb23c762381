package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.persistence.EntityQueries;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the catalog, when the host application has a {@link MeterRegistry}: see
 * {@link PortalCatalogMetrics} and {@link TimedEntityQueries}.
 */
@AutoConfiguration(after = {MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class, PortalCatalogAutoConfiguration.class})
@ConditionalOnClass({MeterRegistry.class, Catalog.class})
@ConditionalOnBean({MeterRegistry.class, Catalog.class})
public class PortalCatalogMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PortalCatalogMetrics portalCatalogMetrics(MeterRegistry registry, PortalDatabase database) {
        return new PortalCatalogMetrics(registry, database);
    }

    /**
     * Wraps every {@link EntityQueries} bean, the host's own included, in {@link TimedEntityQueries}.
     * Static and lazy on the registry, as post-processors must be, so it creates nothing early.
     */
    @Bean
    static BeanPostProcessor portalTimedEntityQueriesPostProcessor(ObjectProvider<MeterRegistry> registry) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof EntityQueries queries && !(bean instanceof TimedEntityQueries)
                        ? new TimedEntityQueries(queries, registry.getObject()) : bean;
            }
        };
    }
}
