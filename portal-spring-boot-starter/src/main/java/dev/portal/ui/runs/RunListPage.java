package dev.portal.ui.runs;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;

import java.util.List;

/**
 * Runs: the caller's own, or every run for admins, filterable by status.
 *
 * @param scopes "My runs" and, for admins, "All runs", the current one marked
 * @param statuses each status as a filter toggle
 * @param more the next page, or {@code null}
 */
public record RunListPage(UiShell shell, boolean all, List<Toggle> scopes, List<Toggle> statuses, String clearHref,
                          List<Row> runs, String more) {

    public record Toggle(String label, String href, boolean on, String css) {
    }

    public record Row(String href, String templateTitle, String status, String statusLabel, Link requester,
                      String createdAt, String summary) {
    }
}
