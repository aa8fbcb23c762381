package dev.portal.ui;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * The host application's CSRF token for the current request, which the UI's forms and htmx
 * requests send back. Spring Security's when it is there ({@link SpringSecurityUiCsrf}); none
 * otherwise.
 */
@FunctionalInterface
public interface UiCsrf {

    Optional<UiShell.Csrf> token(HttpServletRequest request);

    /** No CSRF protection in the host: forms carry no token. */
    static UiCsrf none() {
        return request -> Optional.empty();
    }
}
