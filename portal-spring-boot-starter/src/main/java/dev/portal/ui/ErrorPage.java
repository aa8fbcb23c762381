package dev.portal.ui;

import java.util.List;

/**
 * A page that says why a request could not be served, in the shell.
 *
 * @param status the HTTP status, shown small
 * @param heading what happened, in a few words
 * @param message the detail: the refusal's own message (written for the person asking), never a
 *     stack trace or an internal name
 * @param signIn whether signing in may help (offer the sign-in link prominently)
 * @param reference the correlation id the server log has the details under, or {@code null}
 * @param actions where to go from here
 */
public record ErrorPage(UiShell shell, int status, String heading, String message, boolean signIn, String reference,
                        List<Link> actions) {
}
