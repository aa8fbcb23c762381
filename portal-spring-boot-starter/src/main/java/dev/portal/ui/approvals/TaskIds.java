package dev.portal.ui.approvals;

import dev.portal.approval.ApprovalTask;
import dev.portal.error.NotFoundException;

import java.util.UUID;

/**
 * How the pages name an approval task in their URLs: the one place that knows what a task's id is
 * (its own id; a Zeebe job key is unique per engine cluster only).
 */
public final class TaskIds {

    private TaskIds() {
    }

    public static String of(ApprovalTask task) {
        return task.id().toString();
    }

    /** The id in a URL; an id that cannot be one is a task that does not exist. */
    public static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("There is no approval task " + id + ".");
        }
    }
}
