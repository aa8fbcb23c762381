package dev.portal.autoconfigure.web;

import dev.portal.autoconfigure.catalog.PortalCatalogProperties;
import dev.portal.catalog.Catalog;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.BackstageErrors;
import dev.portal.web.CatalogEntitiesController;
import dev.portal.web.CatalogErrorAdvice;
import dev.portal.web.CatalogLocationsController;
import dev.portal.web.CatalogPermissionPolicy;
import dev.portal.web.CatalogRequestSizeFilter;
import dev.portal.web.JsonContentTypeFilter;
import dev.portal.web.PortalApiFallbackController;
import dev.portal.web.PortalApiSpecController;
import dev.portal.web.PortalIdentityResolver;
import dev.portal.web.PortalRequestRejectedHandler;
import dev.portal.web.SpringSecurityIdentityResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The Backstage-compatible catalog REST API under {@code /api/catalog}, for a servlet application
 * that has a {@link Catalog} bean (normally from {@code PortalCatalogAutoConfiguration}). Every
 * bean but the controllers is replaceable: the caller ({@link PortalIdentityResolver}), the
 * authorization hook ({@link CatalogPermissionPolicy}) and the decorated catalog itself.
 */
@AutoConfiguration(afterName = "dev.portal.autoconfigure.catalog.PortalCatalogAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Catalog.class)
@ConditionalOnProperty(prefix = "portal.catalog.api", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PortalCatalogProperties.class)
public class PortalCatalogWebAutoConfiguration {

    /** Spring Security's principal is the caller, when Spring Security is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
    static class SpringSecurityIdentityConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PortalIdentityResolver portalIdentityResolver() {
            return new SpringSecurityIdentityResolver();
        }
    }

    /**
     * Requests Spring Security's firewall refuses get a 400 that says why, instead of Spring
     * Security's rethrow (which ends in a misleading 401 from the error page, with a session).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.web.firewall.RequestRejectedHandler")
    static class FirewallConfiguration {

        @Bean
        @ConditionalOnMissingBean(type = "org.springframework.security.web.firewall.RequestRejectedHandler")
        PortalRequestRejectedHandler portalRequestRejectedHandler() {
            return new PortalRequestRejectedHandler();
        }
    }

    /** Without Spring Security (and without a host resolver) every caller is anonymous. */
    @Bean
    @ConditionalOnMissingBean
    PortalIdentityResolver anonymousPortalIdentityResolver() {
        return PortalIdentityResolver.anonymous();
    }

    @Bean
    @ConditionalOnMissingBean
    CatalogPermissionPolicy catalogPermissionPolicy(PortalCatalogProperties properties) {
        return defaultPolicy(properties);
    }

    /** The catalog's rules when the host declares none: anybody reads (unless turned off), the signed-in write. */
    static CatalogPermissionPolicy defaultPolicy(PortalCatalogProperties properties) {
        return CatalogPermissionPolicy.authenticatedWrites(properties.getApi().isAnonymousReads());
    }

    @Bean
    @ConditionalOnMissingBean
    AuthorizedCatalog authorizedCatalog(Catalog catalog, CatalogPermissionPolicy policy,
                                        PortalIdentityResolver identity) {
        return new AuthorizedCatalog(catalog, policy, identity);
    }

    @Bean
    CatalogEntitiesController catalogEntitiesController(AuthorizedCatalog catalog) {
        return new CatalogEntitiesController(catalog);
    }

    @Bean
    CatalogLocationsController catalogLocationsController(AuthorizedCatalog catalog) {
        return new CatalogLocationsController(catalog);
    }

    @Bean
    @ConditionalOnMissingBean
    PortalApiFallbackController portalApiFallbackController(
            @Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> handlerMapping) {
        return new PortalApiFallbackController(handlerMapping::getObject);
    }

    @Bean
    PortalApiSpecController portalApiSpecController() {
        return new PortalApiSpecController();
    }

    @Bean
    CatalogErrorAdvice catalogErrorAdvice() {
        return new CatalogErrorAdvice();
    }

    /** Early, so an oversized body is refused before anything (security included) reads it. */
    @Bean
    FilterRegistrationBean<CatalogRequestSizeFilter> catalogRequestSizeFilter(PortalCatalogProperties properties) {
        FilterRegistrationBean<CatalogRequestSizeFilter> registration = new FilterRegistrationBean<>(
                new CatalogRequestSizeFilter(properties.getApi().getMaxRequestSize().toBytes()));
        registration.addUrlPatterns(BackstageErrors.BASE_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** A POST without a JSON content type is refused before security or a controller sees it (CSRF). */
    @Bean
    FilterRegistrationBean<JsonContentTypeFilter> catalogJsonContentTypeFilter() {
        FilterRegistrationBean<JsonContentTypeFilter> registration = new FilterRegistrationBean<>(new JsonContentTypeFilter());
        registration.addUrlPatterns(BackstageErrors.BASE_PATH + "/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 21);
        return registration;
    }
}
