package dev.portal.web;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.testing.PostgresDatabase;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import javax.sql.DataSource;

/**
 * A host application for the web tests: a {@link Catalog} on a fresh database (what
 * {@code PortalCatalogAutoConfiguration} will provide), fenced by {@code portal.catalog.allowed-file-roots}
 * and {@code allowed-hosts} and limited by {@code portal.catalog.api.*},
 * behind HTTP Basic with two users, {@code tester} and {@code other} (password {@code secret}).
 * Authorization is left to Portal's {@link CatalogPermissionPolicy}, as in the sample app.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class CatalogApiTestApplication {

    static final String USER = "tester";
    static final String OTHER_USER = "other";
    static final String PASSWORD = "secret";

    @Bean(destroyMethod = "close")
    PostgresDatabase testDatabase() {
        return PostgresDatabase.create();
    }

    @Bean
    DataSource dataSource(PostgresDatabase database) {
        return database.dataSource();
    }

    /**
     * On the settings {@code PortalCatalogAutoConfiguration} binds from {@code portal.catalog.*} (fences,
     * limits) and with its readers (the reading allow-list and credentials are theirs).
     */
    @Bean
    Catalog catalog(PostgresDatabase database, CatalogSettings settings,
                    org.springframework.beans.factory.ObjectProvider<dev.portal.catalog.ingest.LocationReader> readers) {
        return new Catalog(database.dsl(), settings,
                dev.portal.autoconfigure.catalog.PortalCatalogAutoConfiguration.firstReaderPerType(readers));
    }

    @Bean
    SecurityFilterChain catalogApiSecurity(HttpSecurity http) throws Exception {
        return apiSecurity(http);
    }

    /** The chain the web test hosts put in front of /api/**: stateless HTTP Basic, Backstage-shaped 401/403, reads open. */
    public static SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        BackstageAuthenticationEntryPoint entryPoint = new BackstageAuthenticationEntryPoint();
        return http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new BackstageAccessDeniedHandler()))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername(OTHER_USER).password("{noop}" + PASSWORD).roles("USER").build());
    }
}
