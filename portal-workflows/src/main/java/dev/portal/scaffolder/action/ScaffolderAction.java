package dev.portal.scaffolder.action;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One step a template can use: a BPMN service task whose job type is {@link #id()}. Modelled on
 * Backstage's {@code TemplateAction}: an id, JSON schemas for input and output (the input schema also
 * drives validation and the Camunda Modeler element template), a handler, and dry-run support.
 *
 * <p>Actions know nothing of Zeebe: one generic adapter reads the job, validates the input against
 * {@link #inputSchema()}, converts it to {@link #inputType()}, calls {@link #execute} and completes
 * the job with the output. Zeebe delivers a job at least once, so an action must tolerate running
 * again for the same run and step (the adapter replays a recorded result instead of re-running a
 * finished step, but a crash between side effect and record can still repeat the work).
 *
 * <p>Failures: throw {@link ActionException} for a business outcome the BPMN may catch (it becomes a
 * BPMN error with {@link ActionException#errorCode()}); {@link ActionInputException} for input that
 * can never work (no retries); any other exception is technical and is retried, then raised as an
 * incident.
 *
 * @param <I> the input, converted from the validated job variables by Jackson (a record, typically)
 * @param <O> the output, converted to job variables by Jackson; {@code Void}/{@code null} for none
 */
public interface ScaffolderAction<I, O> {

    /** The Zeebe job type this action handles, e.g. {@code portal.fetch-template}. */
    String id();

    /** One sentence for the action list and the Modeler element template. */
    String description();

    /** The input class Jackson converts the validated input into. */
    Class<I> inputType();

    /** JSON Schema (draft 2020-12) of the input object; every property a worker reads is listed. */
    ObjectNode inputSchema();

    /** JSON Schema of the output object. */
    ObjectNode outputSchema();

    /** Whether {@link #execute} honours {@link ActionContext#dryRun()} (does nothing outside the workspace). */
    default boolean supportsDryRun() {
        return false;
    }

    /** Does the work. */
    O execute(I input, ActionContext context) throws Exception;
}
