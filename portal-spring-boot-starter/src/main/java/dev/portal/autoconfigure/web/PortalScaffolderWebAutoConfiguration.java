package dev.portal.autoconfigure.web;

import com.zaxxer.hikari.HikariDataSource;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.CatalogGroups;
import dev.portal.autoconfigure.catalog.PortalCatalogProperties;
import dev.portal.autoconfigure.workflows.PortalScaffolderProperties;
import dev.portal.autoconfigure.workflows.PortalWorkflowsAutoConfiguration;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.run.RunEventNotifications;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.web.ApprovalsController;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.AuthorizedScaffolder;
import dev.portal.web.CatalogPermissionPolicy;
import dev.portal.web.CatalogRequestSizeFilter;
import dev.portal.web.JsonContentTypeFilter;
import dev.portal.web.PortalApiFallbackController;
import dev.portal.web.PortalIdentityResolver;
import dev.portal.web.ScaffolderController;
import dev.portal.web.ScaffolderEventStreams;
import dev.portal.web.ScaffolderPermissionPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The Scaffolder REST API under {@code /api/scaffolder}, for a servlet application with a
 * {@link Scaffolder}. The permission policy and the decorated Scaffolder are replaceable.
 */
@AutoConfiguration(after = {PortalWorkflowsAutoConfiguration.class, PortalCatalogWebAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({Scaffolder.class, PortalIdentityResolver.class})
@EnableConfigurationProperties({PortalScaffolderProperties.class, PortalCatalogProperties.class})
public class PortalScaffolderWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ScaffolderPermissionPolicy scaffolderPermissionPolicy(PortalScaffolderProperties scaffolder,
                                                          PortalCatalogProperties catalog, CatalogGroups memberships,
                                                          ObjectProvider<ApprovalStore> approvals, EntityQueries entities) {
        Set<EntityRef> admins = scaffolder.getAdminGroups().stream()
                .map(ref -> EntityRef.parse(ref, "group", EntityRef.DEFAULT_NAMESPACE))
                .collect(Collectors.toSet());
        ApprovalStore store = approvals.getIfAvailable();
        CatalogGroups ownGroups = new CatalogGroups(entities, false);
        return ScaffolderPermissionPolicy.requesterTeamOrAdmin(catalog.getApi().isAnonymousReads(), admins, memberships,
                ownGroups::groupsOf, store == null ? run -> java.util.List.of() : store::ofRun);
    }

    @Bean
    @ConditionalOnMissingBean
    AuthorizedScaffolder authorizedScaffolder(Scaffolder scaffolder, ScaffolderPermissionPolicy policy,
                                              PortalIdentityResolver identity) {
        return new AuthorizedScaffolder(scaffolder, policy, identity);
    }

    /** Other instances' events wake this one's streams (PostgreSQL LISTEN on a connection of its own). */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "portal.scaffolder", name = "event-notifications", matchIfMissing = true)
    RunEventNotifications portalRunEventNotifications(DataSource dataSource) {
        return new RunEventNotifications(listenerConnection(dataSource));
    }

    /**
     * A connection beside the pool's when the pool says where the database is (HikariCP with a JDBC
     * URL), so that the listener never takes one of its working connections; otherwise one from it.
     */
    static Callable<Connection> listenerConnection(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            return () -> DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword());
        }
        return dataSource::getConnection;
    }

    @Bean
    @ConditionalOnMissingBean
    ScaffolderEventStreams scaffolderEventStreams(RunStore runs, PortalScaffolderProperties properties,
                                                  ObjectProvider<RunEventNotifications> notifications) {
        RunEventNotifications listener = notifications.getIfAvailable();
        // without notifications, polling is all there is: at least every second
        Duration poll = listener != null || properties.getEventStreamPollInterval().compareTo(Duration.ofSeconds(1)) < 0
                ? properties.getEventStreamPollInterval() : Duration.ofSeconds(1);
        return new ScaffolderEventStreams(runs, ScaffolderController::event, properties.getEventStreamTimeout(),
                listener, poll);
    }

    @Bean
    ScaffolderController scaffolderController(AuthorizedScaffolder scaffolder, ScaffolderEventStreams streams,
                                              ObjectProvider<AuthorizedCatalog> authorizedCatalog, Catalog catalog,
                                              ObjectProvider<CatalogPermissionPolicy> catalogPolicy,
                                              PortalCatalogProperties catalogProperties, PortalIdentityResolver identity,
                                              ObjectProvider<ApprovalStore> approvals) {
        // provenance reads entities under the catalog's own rules, also when the host turned the
        // catalog's REST API (and with it the AuthorizedCatalog bean) off
        AuthorizedCatalog reads = authorizedCatalog.getIfAvailable(() -> new AuthorizedCatalog(catalog,
                catalogPolicy.getIfAvailable(() -> PortalCatalogWebAutoConfiguration.defaultPolicy(catalogProperties)), identity));
        return new ScaffolderController(scaffolder, streams, reads, approvals.getIfAvailable());
    }

    /** The approval inbox API under /api/approvals. */
    @Bean
    @ConditionalOnBean(ApprovalInbox.class)
    ApprovalsController approvalsController(ApprovalInbox inbox, PortalIdentityResolver identity, AuthorizedScaffolder scaffolder,
                                            ProcessDeployer deployer) {
        return new ApprovalsController(inbox, identity, scaffolder, deployer::form);
    }

    /** The catalog API's body size limit applies to the Scaffolder API too. */
    @Bean
    FilterRegistrationBean<CatalogRequestSizeFilter> scaffolderRequestSizeFilter(PortalCatalogProperties properties) {
        FilterRegistrationBean<CatalogRequestSizeFilter> registration = new FilterRegistrationBean<>(
                new CatalogRequestSizeFilter(properties.getApi().getMaxRequestSize().toBytes()));
        registration.addUrlPatterns(ScaffolderController.BASE_PATH + "/*", ApprovalsController.BASE_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** Claim, unclaim, approve, reject, cancel, retry: a POST without a JSON content type is refused (CSRF). */
    @Bean
    FilterRegistrationBean<JsonContentTypeFilter> scaffolderJsonContentTypeFilter() {
        FilterRegistrationBean<JsonContentTypeFilter> registration = new FilterRegistrationBean<>(new JsonContentTypeFilter());
        registration.addUrlPatterns(ScaffolderController.BASE_PATH + "/*", ApprovalsController.BASE_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 21);
        return registration;
    }

    /** Unknown paths, methods and media types under /api/scaffolder and /api/approvals get Backstage's body too. */
    @Bean
    @ConditionalOnMissingBean
    PortalApiFallbackController portalApiFallbackController(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> handlerMapping) {
        return new PortalApiFallbackController(handlerMapping::getObject);
    }
}
