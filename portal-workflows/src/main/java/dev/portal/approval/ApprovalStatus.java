package dev.portal.approval;

import java.util.Arrays;
import java.util.Locale;

/** Where an approval task is. Only {@link #OPEN} tasks can be claimed or decided. */
public enum ApprovalStatus {
    OPEN, APPROVED, REJECTED,
    /** A timer (or another interrupting event) took the task away from its approvers. */
    ESCALATED,
    /** Its run was cancelled. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApprovalStatus fromWireName(String name) {
        return Arrays.stream(values()).filter(status -> status.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown approval status '" + name + "'"));
    }
}
