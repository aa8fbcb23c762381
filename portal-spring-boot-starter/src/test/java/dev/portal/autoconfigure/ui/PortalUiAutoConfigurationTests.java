package dev.portal.autoconfigure.ui;

import dev.portal.autoconfigure.web.PortalCatalogWebAutoConfiguration;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.ui.SpringSecurityUiCsrf;
import dev.portal.ui.UiAssets;
import dev.portal.ui.UiCsrf;
import dev.portal.ui.UiErrorAdvice;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShells;
import dev.portal.ui.UiTemplates;
import dev.portal.ui.catalog.CatalogController;
import dev.portal.ui.catalog.RegisterController;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.ViewResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PortalUiAutoConfigurationTests {

    /** A catalog that is never queried here; its DSL has no connection. */
    private static final Catalog CATALOG = new Catalog(DSL.using(SQLDialect.POSTGRES), CatalogSettings.defaults());

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class,
                    HttpMessageConvertersAutoConfiguration.class, PortalCatalogWebAutoConfiguration.class,
                    PortalUiAutoConfiguration.class))
            .withBean(Catalog.class, () -> CATALOG);

    @Test
    void servesTheUiByDefaultInAServletApplication() {
        contextRunner.run(ctx -> {
            assertThat(ctx).hasSingleBean(CatalogController.class).hasSingleBean(RegisterController.class)
                    .hasSingleBean(UiErrorAdvice.class).hasSingleBean(UiTemplates.class).hasSingleBean(UiShells.class);
            assertThat(uiRoutes(ctx, "/portal")).contains("/portal/catalog", "/portal/catalog/{namespace}/{kind}/{name}",
                    "/portal/register", "/portal/assets/{version}/{name:.+}");
        });
    }

    @Test
    void aHostThatDisablesTheUiGetsNoBeansAndNoRoutes() {
        contextRunner.withPropertyValues("portal.ui.enabled=false").run(ctx -> {
            assertThat(ctx).doesNotHaveBean(CatalogController.class).doesNotHaveBean(UiTemplates.class)
                    .doesNotHaveBean(UiErrorAdvice.class).doesNotHaveBean(UiAssets.class);
            assertThat(uiRoutes(ctx, "/portal")).isEmpty();
            assertThat(ctx).hasBean("catalogEntitiesController");
        });
    }

    @Test
    void servesTheUiUnderTheConfiguredPath() {
        contextRunner.withPropertyValues("portal.ui.path=/developers").run(ctx -> {
            assertThat(uiRoutes(ctx, "/portal")).isEmpty();
            assertThat(uiRoutes(ctx, "/developers")).contains("/developers/catalog", "/developers/register");
        });
    }

    @Test
    void refusesAPathThatEndsWithASlash() {
        contextRunner.withPropertyValues("portal.ui.path=/portal/").run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().rootCause().hasMessageContaining("portal.ui.path must start with '/' and not end with one"));
    }

    @Test
    void registersNoViewResolverOfItsOwn() {
        contextRunner.run(ctx -> assertThat(ctx.getBeansOfType(ViewResolver.class).values())
                .noneMatch(resolver -> resolver.getClass().getName().startsWith("gg.jte")
                        || resolver.getClass().getName().startsWith("dev.portal")));
    }

    @Test
    void backsOffWithoutTheCatalogApisServices() {
        contextRunner.withPropertyValues("portal.catalog.api.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CatalogController.class));
    }

    @Test
    void backsOffOutsideAServletApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PortalCatalogWebAutoConfiguration.class,
                        PortalUiAutoConfiguration.class))
                .withBean(Catalog.class, () -> CATALOG)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(CatalogController.class));
    }

    @Test
    void readsTheCsrfTokenFromSpringSecurityWhenPresent() {
        contextRunner.run(ctx -> assertThat(ctx.getBean(UiCsrf.class)).isInstanceOf(SpringSecurityUiCsrf.class));
    }

    @Test
    void formsCarryNoTokenWithoutSpringSecurity() {
        contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
                .run(ctx -> assertThat(ctx.getBean(UiCsrf.class)).isNotInstanceOf(SpringSecurityUiCsrf.class));
    }

    @Test
    void letsAHostReplaceThePageRenderer() {
        UiPages host = new UiPages(new UiTemplates(), "");
        contextRunner.withBean(UiPages.class, () -> host)
                .run(ctx -> assertThat(ctx.getBean(UiPages.class)).isSameAs(host));
    }

    private static List<String> uiRoutes(AssertableWebApplicationContext ctx, String prefix) {
        return ctx.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods()
                .keySet().stream()
                .flatMap(info -> info.getPatternValues().stream())
                .filter(pattern -> pattern.startsWith(prefix))
                .toList();
    }
}
