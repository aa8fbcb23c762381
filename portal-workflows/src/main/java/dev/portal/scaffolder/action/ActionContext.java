package dev.portal.scaffolder.action;

import java.nio.file.Path;

/**
 * What an action may know about the run it is working for.
 *
 * @param run       the run: id, template, values, requester, provenance
 * @param stepId    the BPMN element id of the step (the service task); stable across redeliveries
 * @param workspace the run's private working directory; actions keep their files inside it
 * @param dryRun    whether this is a dry run: render and describe, but publish or register nothing
 * @param log       the run's event log (visible live in the run's event stream)
 */
public record ActionContext(RunInfo run, String stepId, Path workspace, boolean dryRun, ActionLog log) {

    /** The key under which a repeated execution of this step recognises its earlier work. */
    public String idempotencyKey() {
        return run.id() + ":" + stepId;
    }
}
