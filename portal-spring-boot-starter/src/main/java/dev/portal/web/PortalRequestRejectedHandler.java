package dev.portal.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers a request Spring Security's firewall refuses (a path with {@code ..;}, {@code //}, an
 * encoded slash, ...) with 400 and says why, written straight to the response: Spring Security's
 * default rethrows, and the container's error page then runs through the security chain again,
 * which answers a misleading 401 and opens a session. Under Portal's APIs the body is Backstage's
 * error body; elsewhere it is one line of text.
 */
public class PortalRequestRejectedHandler implements RequestRejectedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        String message = "The request was refused: " + rejected.getMessage();
        String path = request.getRequestURI() == null ? "" : request.getRequestURI();
        String relative = path.startsWith(request.getContextPath()) ? path.substring(request.getContextPath().length()) : path;
        if (PortalApiFallbackController.BASE_PATHS.stream().anyMatch(relative::startsWith)) {
            BackstageErrors.write(response, request, HttpStatus.BAD_REQUEST.value(),
                    PortalErrorStatus.errorName(HttpStatus.BAD_REQUEST), message);
            return;
        }
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType(MediaType.TEXT_PLAIN_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(message + "\n");
    }
}
