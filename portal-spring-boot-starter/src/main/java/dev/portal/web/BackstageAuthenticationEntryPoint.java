package dev.portal.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;

/**
 * Spring Security's 401 for the catalog API, with Backstage's {@code AuthenticationError} body (the
 * client reads {@code error.name}). Use it for the {@code /api/**} chain, e.g.
 * {@code http.httpBasic(basic -> basic.authenticationEntryPoint(new BackstageAuthenticationEntryPoint("Basic realm=\"portal\"")))}.
 */
public class BackstageAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final String challenge;

    /** @param challenge the {@code WWW-Authenticate} header value, or {@code null} to send none */
    public BackstageAuthenticationEntryPoint(String challenge) {
        this.challenge = challenge;
    }

    public BackstageAuthenticationEntryPoint() {
        this(null);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        BackstageErrors.write(response, request, HttpServletResponse.SC_UNAUTHORIZED,
                PortalErrorStatus.errorName(HttpStatus.UNAUTHORIZED), e.getMessage());
    }
}
