package dev.portal.ui.approvals;

import dev.portal.ui.Link;
import dev.portal.ui.UiShell;

import java.util.List;

/**
 * Approvals: the open tasks the caller may decide, or, for admins, every open task.
 *
 * @param scopes "Waiting for me" and, for admins, "All open tasks"
 */
public record InboxPage(UiShell shell, boolean all, List<Link> scopes, List<Row> tasks) {

    /**
     * @param escalatedFrom the step this task took over from after nobody decided it in time, or {@code null}
     * @param overdue whether its due date has passed
     * @param mayDecide whether the caller may decide it (in the admins' list some they may not)
     */
    public record Row(String href, String name, String runHref, String templateTitle, Link requester, String step,
                      String createdAt, String dueDate, boolean overdue, String escalatedFrom, String claimedBy,
                      boolean mayDecide) {
    }
}
