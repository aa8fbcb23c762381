package dev.portal.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/** Spring Security's 403 for the catalog API, with Backstage's {@code NotAllowedError} body. */
public class BackstageAccessDeniedHandler implements AccessDeniedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        BackstageErrors.write(response, request, HttpServletResponse.SC_FORBIDDEN,
                PortalErrorStatus.errorName(HttpStatus.FORBIDDEN), e.getMessage());
    }
}
