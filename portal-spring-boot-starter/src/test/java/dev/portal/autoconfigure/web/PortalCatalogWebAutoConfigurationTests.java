package dev.portal.autoconfigure.web;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.CatalogEntitiesController;
import dev.portal.web.CatalogErrorAdvice;
import dev.portal.web.CatalogLocationsController;
import dev.portal.web.CatalogPermission;
import dev.portal.web.CatalogPermissionPolicy;
import dev.portal.web.CatalogResource;
import dev.portal.web.PortalCaller;
import dev.portal.web.PortalIdentityResolver;
import dev.portal.web.SpringSecurityIdentityResolver;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

class PortalCatalogWebAutoConfigurationTests {

    /** A catalog that is never queried here; its DSL has no connection. */
    private static final Catalog CATALOG = new Catalog(DSL.using(SQLDialect.POSTGRES), CatalogSettings.defaults());

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PortalCatalogWebAutoConfiguration.class))
            .withBean(Catalog.class, () -> CATALOG);

    @Test
    void servesTheApiWhenThereIsACatalog() {
        contextRunner.run(ctx -> assertThat(ctx).hasSingleBean(CatalogEntitiesController.class)
                .hasSingleBean(CatalogLocationsController.class).hasSingleBean(CatalogErrorAdvice.class)
                .hasSingleBean(AuthorizedCatalog.class).hasSingleBean(CatalogPermissionPolicy.class));
    }

    @Test
    void backsOffWithoutACatalog() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PortalCatalogWebAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CatalogEntitiesController.class));
    }

    @Test
    void backsOffWhenTheApiIsDisabled() {
        contextRunner.withPropertyValues("portal.catalog.api.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CatalogEntitiesController.class)
                        .doesNotHaveBean(AuthorizedCatalog.class));
    }

    @Test
    void backsOffOutsideAServletApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PortalCatalogWebAutoConfiguration.class))
                .withBean(Catalog.class, () -> CATALOG)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CatalogEntitiesController.class));
    }

    @Test
    void resolvesTheCallerFromSpringSecurityWhenPresent() {
        contextRunner.run(ctx -> assertThat(ctx.getBean(PortalIdentityResolver.class))
                .isInstanceOf(SpringSecurityIdentityResolver.class));
    }

    @Test
    void treatsEveryCallerAsAnonymousWithoutSpringSecurity() {
        contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(PortalIdentityResolver.class);
                    assertThat(ctx.getBean(PortalIdentityResolver.class).currentCaller().isAuthenticated()).isFalse();
                });
    }

    @Test
    void letsAHostReplaceTheIdentityResolver() {
        PortalIdentityResolver host = () -> PortalCaller.user("service-account");
        contextRunner.withBean(PortalIdentityResolver.class, () -> host)
                .run(ctx -> assertThat(ctx.getBean(PortalIdentityResolver.class)).isSameAs(host));
    }

    @Test
    void letsAHostReplaceThePermissionPolicy() {
        CatalogPermissionPolicy host = (caller, permission, resource) -> false;
        contextRunner.withBean(CatalogPermissionPolicy.class, () -> host)
                .run(ctx -> assertThat(ctx.getBean(CatalogPermissionPolicy.class)).isSameAs(host));
    }

    @Test
    void defaultPolicyOpensReadsToAnonymousCallersOnlyWhenConfigured() {
        contextRunner.withPropertyValues("portal.catalog.api.anonymous-reads=false").run(ctx -> {
            CatalogPermissionPolicy policy = ctx.getBean(CatalogPermissionPolicy.class);
            assertThat(policy.isAllowed(PortalCaller.anonymous(), CatalogPermission.ENTITY_READ, CatalogResource.NONE)).isFalse();
            assertThat(policy.isAllowed(PortalCaller.user("alice"), CatalogPermission.ENTITY_READ, CatalogResource.NONE)).isTrue();
        });
        contextRunner.run(ctx -> {
            CatalogPermissionPolicy policy = ctx.getBean(CatalogPermissionPolicy.class);
            assertThat(policy.isAllowed(PortalCaller.anonymous(), CatalogPermission.ENTITY_READ, CatalogResource.NONE)).isTrue();
            assertThat(policy.isAllowed(PortalCaller.anonymous(), CatalogPermission.LOCATION_CREATE, CatalogResource.of("file:/x"))).isFalse();
            assertThat(policy.isAllowed(PortalCaller.user("alice"), CatalogPermission.LOCATION_DELETE, CatalogResource.of("x"))).isTrue();
        });
    }
}
