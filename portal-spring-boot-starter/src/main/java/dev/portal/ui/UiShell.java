package dev.portal.ui;

import java.util.List;

/**
 * What every page's frame shows: the portal's name, navigation, the search box, who is signed in
 * (with their groups) and how to sign in or out. Built per request by {@link UiShells}.
 *
 * @param appTitle the portal's name ({@code portal.ui.title})
 * @param pageTitle the page's own title, for the browser tab
 * @param section the navigation entry to mark as current: {@code home}, {@code catalog},
 *     {@code create}, {@code runs}, {@code approvals}, or {@code null}
 * @param searchTerm what the header's search box holds
 * @param user the signed-in user, or {@code null} for an anonymous visitor
 * @param signInHref the host application's sign-in page
 * @param signOutAction where the sign-out form posts
 * @param csrf the host's CSRF token for forms and htmx requests, or {@code null} without one
 * @param script Portal's own script (diagrams, live logs, Camunda forms), loaded on every page
 * @param vendor the libraries that script loads on the pages that need them
 * @param openApprovals how many approval tasks the signed-in user may decide (the badge), 0 for none
 */
public record UiShell(String appTitle, String pageTitle, String section, String searchTerm, UiPaths paths,
                      String stylesheet, String htmxScript, SignedIn user, String signInHref, String signOutAction,
                      Csrf csrf, String script, Vendor vendor, int openApprovals) {

    /** The same frame for another page. */
    public UiShell page(String title, String section) {
        return new UiShell(appTitle, title, section, searchTerm, paths, stylesheet, htmxScript, user, signInHref,
                signOutAction, csrf, script, vendor, openApprovals);
    }

    public UiShell searching(String term) {
        return new UiShell(appTitle, pageTitle, section, term, paths, stylesheet, htmxScript, user, signInHref,
                signOutAction, csrf, script, vendor, openApprovals);
    }

    /**
     * Where the vendored libraries are, for {@link #script} to load them where a page has a diagram
     * or a Camunda form: bpmn-js's navigated viewer and form-js's viewer, with their stylesheets.
     */
    public record Vendor(String bpmnScript, String bpmnStyles, String diagramStyles, String formScript,
                         String formStyles) {
    }

    public boolean signedIn() {
        return user != null;
    }

    public boolean current(String name) {
        return name.equals(section);
    }

    /** The browser tab's text. */
    public String documentTitle() {
        return pageTitle == null || pageTitle.isBlank() ? appTitle : pageTitle + " · " + appTitle;
    }

    /**
     * The signed-in user.
     *
     * @param displayName their catalog profile's display name, else their principal name
     * @param name the principal name
     * @param href their User entity's page, or {@code null} when the catalog has no such user
     * @param groups the groups the catalog says they are a member of
     * @param groupRefs the same groups' refs ({@code group:default/payments})
     */
    public record SignedIn(String name, String displayName, String href, List<Link> groups, List<String> groupRefs) {
    }

    /**
     * The host's CSRF token.
     *
     * @param parameterName the form field that carries it
     * @param headerName the header htmx requests carry it in
     * @param token the value
     * @param htmxHeaders the JSON object for {@code hx-headers}: {@code {"<headerName>":"<token>"}}
     */
    public record Csrf(String parameterName, String headerName, String token, String htmxHeaders) {
    }
}
