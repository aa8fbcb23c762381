package dev.portal.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.web.model.BackstageError;
import dev.portal.web.model.ErrorDetails;
import dev.portal.web.model.ErrorRequest;
import dev.portal.web.model.ErrorResponseStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Backstage's error body, {@code {"error":{name,message},"request":{method,url},"response":{statusCode}}}:
 * built here for the advice, and written directly by the servlet filter and the Spring Security
 * handlers, which answer before any controller runs.
 */
public final class BackstageErrors {

    /** Where the starter mounts the catalog API; {@code request.url} in error bodies is relative to it. */
    public static final String BASE_PATH = "/api/catalog";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private BackstageErrors() {
    }

    static BackstageError body(HttpStatus status, String message, HttpServletRequest request) {
        return body(status.value(), PortalErrorStatus.errorName(status), message, request);
    }

    static BackstageError body(int status, String name, String message, HttpServletRequest request) {
        return new BackstageError(new ErrorDetails(name, message == null ? name : message),
                new ErrorResponseStatus(status))
                .request(new ErrorRequest(request.getMethod(), relativeUrl(request)));
    }

    /** Writes the error as the whole response. */
    public static void write(HttpServletResponse response, HttpServletRequest request, int status, String name,
                             String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        JSON.writeValue(response.getOutputStream(), body(status, name, message, request));
    }

    /** The request path below the catalog base, with its query, as Backstage reports it. */
    static String relativeUrl(HttpServletRequest request) {
        String path = request.getRequestURI();
        String prefix = request.getContextPath() + BASE_PATH;
        if (path.startsWith(prefix)) {
            path = path.substring(prefix.length());
        }
        return request.getQueryString() == null ? path : path + "?" + request.getQueryString();
    }
}
