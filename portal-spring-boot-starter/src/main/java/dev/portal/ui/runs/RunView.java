package dev.portal.ui.runs;

import dev.portal.ui.Link;

import java.util.List;

/**
 * A run as its page (and the approval page) show it: what was asked, where it stands, what it made.
 *
 * @param status the wire name ({@code waiting-for-approval}), for CSS and tests
 * @param statusLabel the same for people
 * @param repository where the new repository is: a link for web addresses, else {@code null} and
 *     {@link #repositoryText} holds it (a {@code file:} URL a browser cannot open)
 * @param entity the catalog entity the run registered
 * @param waitingAt the open approvals, each linking to its task page
 * @param markersJson the BPMN elements' states for the diagram: {@code {"approve":"waiting", ...}}
 * @param cancelAction where the cancel button posts, or {@code null} when the caller may not cancel
 * @param retryAction where the retry button posts, or {@code null} when there is nothing the caller may retry
 * @param live whether events may still come (the page follows the log)
 */
public record RunView(String id, String href, String status, String statusLabel, String templateTitle, Link template,
                      String templateVersion, Link requester, String createdAt, String finishedAt, Link repository,
                      String repositoryText, Link entity, String failedStep, String errorMessage, List<Link> waitingAt,
                      List<Step> steps, String markersJson, String cancelAction, String retryAction, boolean live) {

    /** A step portal actions worked on. */
    public record Step(String id, String action, String status, int attempt, String startedAt, String finishedAt,
                       String error) {
    }
}
