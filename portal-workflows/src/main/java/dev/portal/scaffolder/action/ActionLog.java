package dev.portal.scaffolder.action;

/**
 * A step's log lines, appended to its run's event log. Lines are numbered per step: a step that runs
 * again after a redelivery writes the same numbers, so a repeated line replaces rather than
 * duplicates its earlier copy.
 */
public interface ActionLog {

    void info(String message);

    void warn(String message);

    /** A log that drops everything, for callers that have no run (tools, tests). */
    static ActionLog discarding() {
        return new ActionLog() {
            @Override
            public void info(String message) {
            }

            @Override
            public void warn(String message) {
            }
        };
    }
}
