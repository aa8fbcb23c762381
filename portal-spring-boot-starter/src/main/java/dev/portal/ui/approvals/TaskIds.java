package dev.portal.ui.approvals;

import dev.portal.approval.ApprovalTask;
import dev.portal.error.NotFoundException;

/** How the pages name an approval task in their URLs: the one place that knows what a task's id is. */
public final class TaskIds {

    private TaskIds() {
    }

    public static String of(ApprovalTask task) {
        return Long.toString(task.jobKey());
    }

    /** The id in a URL; an id that cannot be one is a task that does not exist. */
    public static long parse(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("There is no approval task " + id + ".");
        }
    }
}
