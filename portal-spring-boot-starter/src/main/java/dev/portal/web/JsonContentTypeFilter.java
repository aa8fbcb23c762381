package dev.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses a {@code POST} to Portal's JSON APIs unless it declares {@code Content-Type:
 * application/json} (or another {@code +json} type), whether or not it has a body: 415 with
 * Backstage's error body.
 *
 * <p>This is the APIs' protection against cross-site request forgery. A page on another site can
 * make a victim's browser send a {@code POST} with the victim's cookies only as a "simple" request:
 * a form ({@code application/x-www-form-urlencoded}, {@code multipart/form-data}), {@code text/plain},
 * or no body and no type at all. A JSON type needs a CORS preflight, which the other site cannot
 * pass. Other writing methods ({@code PUT}, {@code PATCH}, {@code DELETE}) always need a preflight,
 * so they pass as they are (Backstage's clients send {@code DELETE} without a type).
 */
public class JsonContentTypeFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("POST".equalsIgnoreCase(request.getMethod()) && !isJson(request.getContentType())) {
            BackstageErrors.write(response, request, HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(),
                    PortalErrorStatus.errorName(HttpStatus.UNSUPPORTED_MEDIA_TYPE),
                    "POST " + request.getRequestURI() + " needs Content-Type: application/json, also without a body"
                            + " (it keeps other sites from sending it with a signed-in user's cookies); got "
                            + (request.getContentType() == null ? "none" : "'" + request.getContentType() + "'"));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || ("application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
