package dev.portal.web;

/** What a caller may want to do through the Scaffolder API. */
public enum ScaffolderPermission {
    /** List templates, their parameter schemas and the actions. */
    TEMPLATE_READ,
    /** Start a run or dry-run a template. */
    TASK_CREATE,
    /** Read runs, their events and provenance. */
    TASK_READ,
    /** Cancel a run. */
    TASK_CANCEL,
    /** Retry a failed run. */
    TASK_RETRY
}
