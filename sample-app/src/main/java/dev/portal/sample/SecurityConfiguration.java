package dev.portal.sample;

import dev.portal.web.BackstageAccessDeniedHandler;
import dev.portal.web.BackstageAuthenticationEntryPoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.ldap.core.support.BaseLdapPathContextSource;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.ldap.LdapBindAuthenticationManagerFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Demo security: HTTP Basic for the APIs and a sign-in form for the portal's pages, with three
 * users that also exist as User entities in {@code catalog/org.yaml}: {@code alice}, {@code bob}
 * and {@code carol}, password {@code demo} (with the {@code ldap} profile, the same people in a
 * directory, see {@link #directorySignIn}). Both chains let requests through to Portal, whose
 * authorization hook decides: reads are open, writes need one of the users.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String DEMO_PASSWORD = "demo";

    /** Stateless HTTP Basic, no CSRF (clients send credentials, not cookies), Backstage-shaped 401/403. */
    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        BackstageAuthenticationEntryPoint entryPoint = new BackstageAuthenticationEntryPoint("Basic realm=\"portal\"");
        return http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint(entryPoint))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(new BackstageAccessDeniedHandler()))
                .build();
    }

    /**
     * Everything else: the portal's pages are open (Portal decides what a visitor may see and do,
     * and asks anonymous visitors to sign in when they try more), signing in is a form at /login,
     * signing out a POST to /logout with the CSRF token the pages carry. The rest of the
     * application keeps Spring Boot's defaults: authenticated, form login and HTTP Basic.
     */
    @Bean
    @Order(2)
    SecurityFilterChain defaultSecurity(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/portal", "/portal/**", "/sample/**", "/error").permitAll()
                        .anyRequest().authenticated())
                // The sample's own page (SignInPage) names the demo users.
                .formLogin(form -> form.loginPage("/login").permitAll().defaultSuccessUrl("/portal", false))
                .logout(logout -> logout.logoutSuccessUrl("/portal"))
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    @Profile("!ldap")
    UserDetailsService demoUsers() {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = encoder.encode(DEMO_PASSWORD);
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password(password).roles("USER").build(),
                User.withUsername("bob").password(password).roles("USER").build(),
                User.withUsername("carol").password(password).roles("USER").build());
    }

    /**
     * The ldap profile: passwords are checked by binding to the directory as
     * {@code uid=<name>,ou=people} (the in-memory one Spring Boot starts from ldap/acme.ldif); the
     * people and their teams in the catalog come from the same directory.
     */
    @Bean
    @Profile("ldap")
    AuthenticationManager directorySignIn(BaseLdapPathContextSource directory) {
        LdapBindAuthenticationManagerFactory factory = new LdapBindAuthenticationManagerFactory(directory);
        factory.setUserDnPatterns("uid={0},ou=people");
        return factory.createAuthenticationManager();
    }
}
