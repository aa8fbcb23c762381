package dev.portal.ui;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Turns a rendered template into the HTTP answer every UI page gets: HTML in UTF-8 with the UI's
 * Content-Security-Policy. All pages, error pages included, are answered through it.
 */
public class UiPages {

    private static final MediaType HTML = MediaType.valueOf("text/html;charset=UTF-8");

    private final UiTemplates templates;
    private final String contentSecurityPolicy;

    /** @param contentSecurityPolicy the header's value, or empty to send none */
    public UiPages(UiTemplates templates, String contentSecurityPolicy) {
        this.templates = templates;
        this.contentSecurityPolicy = contentSecurityPolicy == null ? "" : contentSecurityPolicy.trim();
    }

    public ResponseEntity<String> ok(String template, Object page) {
        return page(HttpStatus.OK, template, page);
    }

    /**
     * After a form post that changed something, on to {@code location} (one of the UI's paths): a
     * 303 for a browser's own form post, and for an htmx one a full navigation (the new page may
     * need the scripts of a fresh load, and gets its own address in the history).
     */
    public ResponseEntity<String> seeOther(HttpServletRequest request, String location) {
        if ("true".equals(request.getHeader("HX-Request"))) {
            return ResponseEntity.ok().header("HX-Redirect", location).body("");
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, location).body("");
    }

    public ResponseEntity<String> page(HttpStatus status, String template, Object page) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(HTML);
        if (!contentSecurityPolicy.isEmpty()) {
            response.header("Content-Security-Policy", contentSecurityPolicy);
        }
        return response.body(templates.render(template, page));
    }
}
