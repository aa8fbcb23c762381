package dev.portal.approval;

/**
 * Hears about approval tasks, e.g. to send an e-mail or a chat message. Called after the change is
 * stored; a listener that throws is logged and does not undo anything.
 */
public interface ApprovalListener {

    default void created(ApprovalTask task) {
    }

    default void decided(ApprovalTask task, Decision decision) {
    }

    default void escalated(ApprovalTask task) {
    }
}
