package dev.portal.autoconfigure.ui;

import dev.portal.approval.ApprovalStore;
import dev.portal.autoconfigure.web.PortalCatalogWebAutoConfiguration;
import dev.portal.autoconfigure.web.PortalScaffolderWebAutoConfiguration;
import dev.portal.ui.ShellController;
import dev.portal.ui.SpringSecurityUiCsrf;
import dev.portal.ui.UiAssets;
import dev.portal.ui.UiAssetsController;
import dev.portal.ui.UiCsrf;
import dev.portal.ui.UiErrorAdvice;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShells;
import dev.portal.ui.UiTemplates;
import dev.portal.ui.catalog.CatalogController;
import dev.portal.ui.catalog.RegisterController;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.AuthorizedScaffolder;
import dev.portal.web.PortalIdentityResolver;
import gg.jte.TemplateEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Portal's web UI under {@code portal.ui.path} ({@code /portal}): server-rendered pages on the
 * same services as the REST API ({@link AuthorizedCatalog}, and {@link AuthorizedScaffolder} where
 * there is one). It registers no view resolver and no static resource location of the host's:
 * its controllers render their own templates and serve their own assets. The template renderer,
 * the page frame and the CSRF token source are replaceable.
 */
@AutoConfiguration(after = {PortalCatalogWebAutoConfiguration.class, PortalScaffolderWebAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(TemplateEngine.class)
@ConditionalOnBean({AuthorizedCatalog.class, PortalIdentityResolver.class})
@ConditionalOnProperty(prefix = "portal.ui", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(PortalUiProperties.class)
public class PortalUiAutoConfiguration {

    /** The host's Spring Security CSRF token, when Spring Security is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.web.csrf.CsrfToken")
    static class SpringSecurityCsrfConfiguration {

        @Bean
        @ConditionalOnMissingBean
        UiCsrf portalUiCsrf() {
            return new SpringSecurityUiCsrf();
        }
    }

    /** Without Spring Security, forms carry no token. */
    @Bean
    @ConditionalOnMissingBean
    UiCsrf noPortalUiCsrf() {
        return UiCsrf.none();
    }

    @Bean
    @ConditionalOnMissingBean
    UiTemplates portalUiTemplates() {
        return new UiTemplates();
    }

    @Bean
    @ConditionalOnMissingBean
    UiAssets portalUiAssets() {
        return new UiAssets();
    }

    @Bean
    @ConditionalOnMissingBean
    UiPages portalUiPages(UiTemplates templates, PortalUiProperties properties) {
        return new UiPages(templates, properties.getContentSecurityPolicy());
    }

    @Bean
    @ConditionalOnMissingBean
    UiShells portalUiShells(PortalUiProperties properties, UiAssets assets, PortalIdentityResolver identity,
                            AuthorizedCatalog catalog, UiCsrf csrf) {
        return new UiShells(properties.getTitle(), checkedPath(properties.getPath()), properties.getSignInPath(),
                properties.getSignOutPath(), assets, identity, catalog, csrf);
    }

    @Bean
    UiAssetsController portalUiAssetsController(UiAssets assets) {
        return new UiAssetsController(assets);
    }

    @Bean
    CatalogController portalUiCatalogController(AuthorizedCatalog catalog, UiShells shells, UiPages pages,
                                                PortalUiProperties properties,
                                                ObjectProvider<AuthorizedScaffolder> scaffolder,
                                                ObjectProvider<ApprovalStore> approvals) {
        if (properties.getPageSize() < 1 || properties.getPageSize() > 200) {
            throw new IllegalStateException("portal.ui.page-size must be between 1 and 200, got "
                    + properties.getPageSize());
        }
        return new CatalogController(catalog, shells, pages, properties.getPageSize(), properties.isServerTiming(),
                scaffolder, approvals);
    }

    @Bean
    RegisterController portalUiRegisterController(AuthorizedCatalog catalog, UiShells shells, UiPages pages) {
        return new RegisterController(catalog, shells, pages);
    }

    @Bean
    ShellController portalUiShellController(UiShells shells, UiPages pages) {
        return new ShellController(shells, pages);
    }

    @Bean
    UiErrorAdvice portalUiErrorAdvice(UiShells shells, UiPages pages) {
        return new UiErrorAdvice(shells, pages);
    }

    private static String checkedPath(String path) {
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("*") || path.contains("{")) {
            throw new IllegalStateException("portal.ui.path must start with '/' and not end with one, e.g. /portal;"
                    + " got '" + path + "'");
        }
        return path;
    }
}
