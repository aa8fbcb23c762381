package dev.portal.autoconfigure.ui;

import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.autoconfigure.workflows.PortalApprovalsProperties;
import dev.portal.scaffolder.secret.SecretBox;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.ui.ScaffolderOffController;
import dev.portal.ui.approvals.InboxController;
import dev.portal.ui.create.CreateController;
import dev.portal.ui.runs.RunsController;
import dev.portal.web.ScaffolderEventStreams;
import dev.portal.web.ScaffolderPermissionPolicy;
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

    /** The page frame; with an approval inbox, its header counts the approvals waiting for the signed-in user. */
    @Bean
    @ConditionalOnMissingBean
    UiShells portalUiShells(PortalUiProperties properties, UiAssets assets, PortalIdentityResolver identity,
                            AuthorizedCatalog catalog, UiCsrf csrf, ObjectProvider<ApprovalInbox> inbox) {
        return new UiShells(properties.getTitle(), checkedPath(properties.getPath()), properties.getSignInPath(),
                properties.getSignOutPath(), assets, identity, catalog, csrf, user -> {
                    ApprovalInbox approvals = inbox.getIfAvailable();
                    return approvals == null ? 0 : approvals.mine(user).size();
                });
    }

    /** Create (gallery and wizard) and Runs, on the Scaffolder the REST API uses. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean({AuthorizedScaffolder.class, ScaffolderEventStreams.class})
    static class ScaffolderPagesConfiguration {

        @Bean
        CreateController portalUiCreateController(AuthorizedScaffolder scaffolder, AuthorizedCatalog catalog,
                                                  UiShells shells, UiPages pages, SecretBox secrets) {
            return new CreateController(scaffolder, catalog, shells, pages, secrets);
        }

        @Bean
        RunsController portalUiRunsController(AuthorizedScaffolder scaffolder, AuthorizedCatalog catalog,
                                              ScaffolderPermissionPolicy policy, ScaffolderEventStreams streams,
                                              ObjectProvider<ApprovalStore> approvals,
                                              ObjectProvider<ApprovalPolicy> approvalPolicy, UiShells shells,
                                              UiPages pages) {
            return new RunsController(scaffolder, catalog, policy, streams, approvals, approvalPolicy, shells, pages);
        }
    }

    /** Approvals: the inbox and a task's page, when the application has the approval inbox. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean({AuthorizedScaffolder.class, ApprovalInbox.class, ApprovalPolicy.class})
    static class ApprovalPagesConfiguration {

        @Bean
        InboxController portalUiInboxController(ApprovalInbox inbox, ApprovalPolicy policy,
                                                ObjectProvider<PortalApprovalsProperties> properties,
                                                AuthorizedScaffolder scaffolder, AuthorizedCatalog catalog,
                                                ScaffolderPermissionPolicy scaffolderPolicy,
                                                ObjectProvider<ProcessDeployer> forms, UiShells shells, UiPages pages) {
            PortalApprovalsProperties approvals = properties.getIfAvailable();
            return new InboxController(inbox, policy, approvals == null || approvals.isSeparateDeciders(), scaffolder,
                    catalog, scaffolderPolicy, forms, shells, pages);
        }
    }

    /** Without the Scaffolder, Create, Runs and Approvals say so. */
    @Bean
    @ConditionalOnMissingBean(AuthorizedScaffolder.class)
    ScaffolderOffController portalUiScaffolderOffController(UiShells shells, UiPages pages) {
        return new ScaffolderOffController(shells, pages);
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
    ShellController portalUiShellController() {
        return new ShellController();
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
