package dev.portal.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A host application for the Scaffolder API tests: the starter's auto-configuration on a fresh
 * database and the in-JVM engine, HTTP Basic with alice and bob (team payments), carol (platform,
 * the Scaffolder admins) and dave (no catalog user), password {@code demo}; plus a host action,
 * {@code test.flaky}, that fails while {@link #FLAKY_FAILS} is set.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ScaffolderApiTestApplication {

    static final String PASSWORD = "demo";
    static final AtomicBoolean FLAKY_FAILS = new AtomicBoolean();

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
    SecurityFilterChain scaffolderApiSecurity(HttpSecurity http) throws Exception {
        return CatalogApiTestApplication.apiSecurity(http);
    }

    /** The web UI's pages, open, with HTTP Basic so a test can look at them as one of the users. */
    @Bean
    @Order(2)
    SecurityFilterChain pagesSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("bob").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("carol").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("dave").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("erin").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("frank").password("{noop}" + PASSWORD).roles("USER").build());
    }

    /** A host's own action, registered by declaring the bean. */
    @Bean
    ScaffolderAction<FlakyInput, Void> flakyAction() {
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
            public Class<FlakyInput> inputType() {
                return FlakyInput.class;
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
            public Void execute(FlakyInput input, ActionContext context) {
                if (FLAKY_FAILS.get()) {
                    throw new IllegalStateException("the deployment API answered 502 Bad Gateway");
                }
                context.log().info("flaky step passed");
                return null;
            }
        };
    }

    record FlakyInput() {
    }
}
