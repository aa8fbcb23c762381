package dev.portal.autoconfigure.ui;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of Portal's web UI ({@code portal.ui.*}).
 */
@ConfigurationProperties("portal.ui")
public class PortalUiProperties {

    /** The Content-Security-Policy the UI's pages are sent with when none is configured. */
    public static final String STRICT_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'self'";

    /**
     * Whether to serve the web UI (catalog pages, registration) in a servlet web application.
     */
    private boolean enabled = true;

    /**
     * Path under which the web UI is served, e.g. /portal; its pages, forms and assets all live
     * below it.
     */
    private String path = "/portal";

    /**
     * Name of the portal, shown in the header of every page and in the browser tab.
     */
    private String title = "Portal";

    /**
     * Where the sign-in link takes a visitor: the host application's sign-in page (Spring
     * Security's form login serves /login).
     */
    private String signInPath = "/login";

    /**
     * Where the sign-out button posts to, with the CSRF token: the host application's sign-out
     * endpoint (Spring Security's logout filter listens on POST /logout).
     */
    private String signOutPath = "/logout";

    /**
     * Content-Security-Policy header sent with every page of the UI. The pages use no inline
     * script or style, so the default allows scripts and styles from the application itself only.
     * Empty to send none (e.g. when the host application sets its own).
     */
    private String contentSecurityPolicy = STRICT_CONTENT_SECURITY_POLICY;

    /**
     * Entities per page of the catalog list.
     */
    private int pageSize = 25;

    /**
     * Whether the catalog list reports how long its parts took (the page's query, the facet
     * counts, rendering) in a Server-Timing header, which browsers' developer tools show.
     */
    private boolean serverTiming = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
    }

    public String getSignInPath() {
        return signInPath;
    }

    public void setSignInPath(String signInPath) {
        this.signInPath = signInPath;
    }

    public String getSignOutPath() {
        return signOutPath;
    }

    public void setSignOutPath(String signOutPath) {
        this.signOutPath = signOutPath;
    }

    public String getContentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    public void setContentSecurityPolicy(String contentSecurityPolicy) {
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    public boolean isServerTiming() {
        return serverTiming;
    }

    public void setServerTiming(boolean serverTiming) {
        this.serverTiming = serverTiming;
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }
}
