package dev.portal.approval.notify;

/** What approvers are told about a task. */
public enum NoticeEvent {

    /** The task reached the inbox and waits for them. */
    CREATED("created"),

    /** A timer (or another interrupting event) took the task away from them: the run moved on. */
    ESCALATED("escalated"),

    /** The task is still open and its due date is close. */
    DUE_SOON("due-soon");

    private final String wireName;

    NoticeEvent(String wireName) {
        this.wireName = wireName;
    }

    /** The name in webhook bodies, the ledger and the configuration. */
    public String wireName() {
        return wireName;
    }
}
