package dev.portal.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.autoconfigure.catalog.PortalCatalogAutoConfiguration;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.template.TemplateResources;
import dev.portal.web.CatalogApiTestApplication;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A host application for the Scaffolder's pages, set up as the sample app is: the catalog of
 * {@code ui/catalog.yaml} (alice and bob in payments, carol in platform, the Scaffolder admins),
 * the standard templates of the {@code bpmn} module, read from its sources next to this module
 * (its class path resources through a class loader of their own, so that no other test of the
 * starter gets them), the UI tests' own templates ({@code ui/templates}), the in-JVM engine,
 * publishing to bare repositories in a temporary folder; form login for the pages with CSRF, HTTP
 * Basic for the APIs. Users alice, bob, carol and dave (no catalog user), password {@code demo}.
 * The host action {@code test.flaky} fails while {@link #FLAKY_FAILS} is set.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@PropertySource("classpath:ui/ui-scaffolder-test.properties")
public class UiScaffolderTestApplication {

    public static final String PASSWORD = "demo";
    public static final AtomicBoolean FLAKY_FAILS = new AtomicBoolean(true);
    /** The bpmn module's resources: forms, processes, templates and the service skeleton. */
    static final Path STANDARD = Path.of("../bpmn/src/main/resources").toAbsolutePath().normalize();
    static final Path ROOT = temporaryRoot();
    public static final Path REMOTES = ROOT.resolve("remotes");

    /** The run's own folders: where repositories are published and workspaces live. */
    public static class Paths implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("ui-scaffolder-paths", Map.of(
                    "portal.scaffolder.git.url-pattern", REMOTES.toUri() + "{name}.git",
                    "portal.scaffolder.workspace-root", ROOT.resolve("workspaces").toString(),
                    "portal.catalog.allowed-file-roots", STANDARD + "," + Path.of("src/test/resources/ui").toAbsolutePath())));
        }
    }

    @Bean(destroyMethod = "close")
    PostgresDatabase testDatabase() {
        return PostgresDatabase.create();
    }

    @Bean
    DataSource dataSource(PostgresDatabase database) {
        return database.dataSource();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        return CatalogApiTestApplication.apiSecurity(http);
    }

    @Bean
    @Order(2)
    SecurityFilterChain uiSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(form -> form.defaultSuccessUrl("/portal", false))
                .logout(logout -> logout.logoutSuccessUrl("/portal"))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("bob").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("carol").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("dave").password("{noop}" + PASSWORD).roles("USER").build());
    }

    /** Template resources ({@code classpath:dev/portal/bpmn/...}) also from the bpmn module's sources. */
    @Bean
    TemplateResources portalTemplateResources(ObjectProvider<LocationReader> readers) throws MalformedURLException {
        ClassLoader standard = new URLClassLoader(new URL[]{STANDARD.toUri().toURL()},
                UiScaffolderTestApplication.class.getClassLoader());
        return new TemplateResources(PortalCatalogAutoConfiguration.firstReaderPerType(readers), standard);
    }

    @Bean
    ScaffolderAction<NoInput, Void> flakyAction() {
        return new ScaffolderAction<>() {
            @Override
            public String id() {
                return "test.flaky";
            }

            @Override
            public String description() {
                return "Fails while the test says so.";
            }

            @Override
            public Class<NoInput> inputType() {
                return NoInput.class;
            }

            @Override
            public ObjectNode inputSchema() {
                return ActionSchemas.parse("{\"type\":\"object\",\"properties\":{}}");
            }

            @Override
            public ObjectNode outputSchema() {
                return ActionSchemas.parse("{\"type\":\"object\",\"properties\":{}}");
            }

            @Override
            public Void execute(NoInput input, ActionContext context) {
                if (FLAKY_FAILS.get()) {
                    throw new IllegalStateException("the deployment API answered 502 Bad Gateway");
                }
                context.log().info("the deployment API accepted the deployment");
                return null;
            }
        };
    }

    record NoInput() {
    }

    private static Path temporaryRoot() {
        try {
            Path root = Files.createTempDirectory("portal-ui-scaffolder-");
            Files.createDirectories(root.resolve("remotes"));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
