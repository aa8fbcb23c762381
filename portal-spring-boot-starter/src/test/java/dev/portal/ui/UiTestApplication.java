package dev.portal.ui;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.web.CatalogApiTestApplication;
import dev.portal.web.CatalogPermission;
import dev.portal.web.CatalogPermissionPolicy;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import javax.sql.DataSource;

/**
 * A host application for the UI tests, set up as the sample app is: the starter's
 * auto-configuration on a fresh database with the catalog of {@code ui/catalog.yaml}, HTTP Basic
 * for {@code /api/**} and a form login (Spring Security's own page at {@code /login}) for
 * everything else, CSRF on. Users alice and bob (team payments), carol (platform) and dave (no
 * catalog user), password {@code demo}. Only members of payments may register locations here, so
 * the tests see a signed-in user who may not.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@PropertySource("classpath:ui/ui-test.properties")
public class UiTestApplication {

    public static final String PASSWORD = "demo";
    static final EntityRef REGISTRARS = EntityRef.parse("group:default/payments");

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

    /** Pages are open; Portal decides who may do what. Signing in is a form, signing out a POST with the token. */
    @Bean
    @Order(2)
    SecurityFilterChain uiSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(form -> form.defaultSuccessUrl("/portal", false))
                .logout(logout -> logout.logoutSuccessUrl("/portal"))
                .build();
    }

    @Bean
    FailingPageController failingPageController() {
        return new FailingPageController();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("bob").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("carol").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("dave").password("{noop}" + PASSWORD).roles("USER").build());
    }

    /** The starter's rules, except that registering a location is for members of payments only. */
    @Bean
    CatalogPermissionPolicy catalogPermissionPolicy(EntityQueries entities) {
        CatalogPermissionPolicy defaults = CatalogPermissionPolicy.authenticatedWrites(true);
        return (caller, permission, resource) -> {
            if (permission == CatalogPermission.LOCATION_CREATE) {
                return caller.user().flatMap(entities::byRef).stream()
                        .flatMap(user -> user.relations().stream())
                        .anyMatch(relation -> RelationType.MEMBER_OF.equals(relation.type())
                                && relation.target().equals(REGISTRARS));
            }
            return defaults.isAllowed(caller, permission, resource);
        };
    }
}
