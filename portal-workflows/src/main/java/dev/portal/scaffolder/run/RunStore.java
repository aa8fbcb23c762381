package dev.portal.scaffolder.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.db.workflows.tables.records.ScaffolderRunsRecord;
import dev.portal.db.workflows.tables.records.ScaffolderStepsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static dev.portal.db.workflows.Tables.SCAFFOLDER_EVENTS;
import static dev.portal.db.workflows.Tables.SCAFFOLDER_EVENT_COUNTERS;
import static dev.portal.db.workflows.Tables.SCAFFOLDER_RUNS;
import static dev.portal.db.workflows.Tables.SCAFFOLDER_STEPS;

/**
 * Runs, their steps and their event logs in PostgreSQL. Every change that the event log should
 * show writes its event in the same transaction; events that a repeated execution writes again carry
 * a dedupe key and are dropped the second time. A run's events are numbered in commit order (see
 * {@link #event}), so reading "after the last one seen" never misses one.
 */
public final class RunStore {

    /** The step a run failed at when its process instance could not be created. */
    public static final String START_STEP = "start";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DSLContext dsl;
    private final List<Consumer<UUID>> eventListeners = new CopyOnWriteArrayList<>();

    public RunStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Called with the run id after this instance wrote events of that run (to wake up live streams);
     * {@link RunEventNotifications} tells of those that other instances wrote.
     */
    public void onEvents(Consumer<UUID> listener) {
        eventListeners.add(listener);
    }

    public Run create(NewRun run) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.insertInto(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.ID, run.id())
                    .set(SCAFFOLDER_RUNS.TEMPLATE_REF, run.templateRef())
                    .set(SCAFFOLDER_RUNS.TEMPLATE_VERSION, run.templateEtag())
                    .set(SCAFFOLDER_RUNS.TEMPLATE_DOCUMENT, write(run.templateDocument()))
                    .set(SCAFFOLDER_RUNS.PROCESS_ID, run.processId())
                    .set(SCAFFOLDER_RUNS.PARAMETER_VALUES, write(run.values()))
                    .set(SCAFFOLDER_RUNS.REQUESTER, run.requester())
                    .set(SCAFFOLDER_RUNS.STATUS, RunStatus.STARTING.wireName())
                    .set(SCAFFOLDER_RUNS.PROCESS_XML_SHA256, run.processXmlSha256().orElse(null))
                    .execute();
            event(tx, run.id(), null, "status", "info", "run requested by " + run.requester()
                    + " from " + run.templateRef(), null);
        });
        notify(run.id());
        return find(run.id()).orElseThrow();
    }

    /**
     * Records the process instance a run started, and the BPMN version in the run's template
     * version; a {@code starting} run is {@code running} from now on. Does nothing if the instance
     * was attached already (by its first job, when this statement came late); returns whether it
     * recorded.
     */
    public boolean started(UUID runId, ProcessInstanceRef instance) {
        return attach(runId, instance, null);
    }

    /**
     * Attaches the process instance a job or the run-end worker came from to a run that has none
     * recorded: the host died (or the database failed) between creating the instance and storing its
     * key. Only the run's own process attaches (a called process inherits {@code portalRunId} but has
     * another process id). A run the start gave up on as failed at {@code start} runs again: its
     * instance evidently exists. Returns whether it attached.
     */
    public boolean attach(UUID runId, ProcessInstanceRef instance) {
        return attach(runId, instance, "process instance " + instance.processInstanceKey()
                + " attached by its own job: the start did not record it");
    }

    /** As {@link #attach(UUID, ProcessInstanceRef)}, with {@code message} in the run's log (how it was found). */
    public boolean attach(UUID runId, ProcessInstanceRef instance, String message) {
        boolean revived = message != null;
        boolean attached = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Condition startFailed = SCAFFOLDER_RUNS.STATUS.eq(RunStatus.FAILED.wireName())
                    .and(SCAFFOLDER_RUNS.FAILED_STEP.eq(START_STEP));
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.PROCESS_DEFINITION_KEY, instance.processDefinitionKey())
                    .set(SCAFFOLDER_RUNS.PROCESS_INSTANCE_KEY, instance.processInstanceKey())
                    .set(SCAFFOLDER_RUNS.TEMPLATE_VERSION,
                            DSL.concat(SCAFFOLDER_RUNS.TEMPLATE_VERSION, DSL.inline("@" + instance.version())))
                    .set(SCAFFOLDER_RUNS.STATUS, DSL.when(SCAFFOLDER_RUNS.STATUS.eq(RunStatus.STARTING.wireName()).or(startFailed),
                            DSL.inline(RunStatus.RUNNING.wireName())).otherwise(SCAFFOLDER_RUNS.STATUS))
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, DSL.when(startFailed, DSL.inline((String) null)).otherwise(SCAFFOLDER_RUNS.FAILED_STEP))
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, DSL.when(startFailed, DSL.inline((String) null)).otherwise(SCAFFOLDER_RUNS.ERROR_MESSAGE))
                    .set(SCAFFOLDER_RUNS.FINISHED_AT, DSL.when(startFailed, DSL.inline((OffsetDateTime) null)).otherwise(SCAFFOLDER_RUNS.FINISHED_AT))
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .and(SCAFFOLDER_RUNS.PROCESS_INSTANCE_KEY.isNull())
                    .and(SCAFFOLDER_RUNS.PROCESS_ID.eq(instance.processId()))
                    .execute();
            if (updated == 1 && revived) {
                event(tx, runId, null, "recovered", "info", message, null);
            }
            return updated == 1;
        });
        if (attached && revived) {
            notify(runId);
        }
        return attached;
    }

    /**
     * Ends a run whose process instance was never created (the engine refused or did not answer),
     * as failed at step {@value #START_STEP} with {@code message}, unless its instance turned up in
     * the meantime. Returns whether it ended the run.
     */
    public boolean failStart(UUID runId, String message) {
        boolean moved = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.STATUS, RunStatus.FAILED.wireName())
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, START_STEP)
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, message)
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .set(SCAFFOLDER_RUNS.FINISHED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .and(SCAFFOLDER_RUNS.STATUS.eq(RunStatus.STARTING.wireName()))
                    .and(SCAFFOLDER_RUNS.PROCESS_INSTANCE_KEY.isNull())
                    .execute();
            if (updated == 1) {
                event(tx, runId, null, "status", "error", "run failed to start: " + message, null);
            }
            return updated == 1;
        });
        if (moved) {
            notify(runId);
        }
        return moved;
    }

    /** Runs still {@code starting} without an instance, created before {@code before}, oldest first. */
    public List<UUID> startingSince(OffsetDateTime before, int limit) {
        return dsl.select(SCAFFOLDER_RUNS.ID).from(SCAFFOLDER_RUNS)
                .where(SCAFFOLDER_RUNS.STATUS.eq(RunStatus.STARTING.wireName()))
                .and(SCAFFOLDER_RUNS.PROCESS_INSTANCE_KEY.isNull())
                .and(SCAFFOLDER_RUNS.CREATED_AT.lt(before))
                .orderBy(SCAFFOLDER_RUNS.CREATED_AT)
                .limit(limit)
                .fetch(SCAFFOLDER_RUNS.ID);
    }

    public Optional<Run> find(UUID runId) {
        ScaffolderRunsRecord row = dsl.selectFrom(SCAFFOLDER_RUNS).where(SCAFFOLDER_RUNS.ID.eq(runId)).fetchOne();
        if (row == null) {
            return Optional.empty();
        }
        List<Run.Step> steps = dsl.selectFrom(SCAFFOLDER_STEPS)
                .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId))
                .orderBy(SCAFFOLDER_STEPS.STARTED_AT, SCAFFOLDER_STEPS.STEP_ID)
                .fetch(RunStore::step);
        return Optional.of(run(row, steps));
    }

    /** The process definition a run's instance was started from, once it started. */
    public Optional<Long> processDefinitionKey(UUID runId) {
        return dsl.select(SCAFFOLDER_RUNS.PROCESS_DEFINITION_KEY).from(SCAFFOLDER_RUNS)
                .where(SCAFFOLDER_RUNS.ID.eq(runId))
                .fetchOptional(SCAFFOLDER_RUNS.PROCESS_DEFINITION_KEY);
    }

    /** The template document a run was started with. */
    public Optional<ObjectNode> templateDocument(UUID runId) {
        return dsl.select(SCAFFOLDER_RUNS.TEMPLATE_DOCUMENT).from(SCAFFOLDER_RUNS)
                .where(SCAFFOLDER_RUNS.ID.eq(runId))
                .fetchOptional(SCAFFOLDER_RUNS.TEMPLATE_DOCUMENT)
                .map(RunStore::readObject);
    }

    /** Runs, newest first, optionally only those with one of {@code statuses} and by {@code requester}. */
    public List<Run> list(Collection<RunStatus> statuses, Optional<String> requester, int limit, int offset) {
        Condition condition = DSL.trueCondition();
        if (!statuses.isEmpty()) {
            condition = condition.and(SCAFFOLDER_RUNS.STATUS.in(statuses.stream().map(RunStatus::wireName).toList()));
        }
        if (requester.isPresent()) {
            condition = condition.and(SCAFFOLDER_RUNS.REQUESTER.eq(requester.get()));
        }
        return dsl.selectFrom(SCAFFOLDER_RUNS)
                .where(condition)
                .orderBy(SCAFFOLDER_RUNS.CREATED_AT.desc(), SCAFFOLDER_RUNS.ID)
                .limit(limit).offset(offset)
                .fetch(row -> run(row, List.of()));
    }

    /**
     * Moves a run to {@code status} unless it is already final, writing a status event; returns
     * whether it moved. A failed run may move on again (a retry).
     */
    public boolean transition(UUID runId, RunStatus status, String message) {
        boolean moved = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.STATUS, status.wireName())
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .set(SCAFFOLDER_RUNS.FINISHED_AT, status.isFinal() ? DSL.currentOffsetDateTime() : DSL.inline((OffsetDateTime) null))
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, clearsFailure(status) ? DSL.inline((String) null) : SCAFFOLDER_RUNS.FAILED_STEP)
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, clearsFailure(status) ? DSL.inline((String) null) : SCAFFOLDER_RUNS.ERROR_MESSAGE)
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .and(SCAFFOLDER_RUNS.STATUS.ne(status.wireName()))
                    .and(SCAFFOLDER_RUNS.STATUS.notIn(finalStatuses()))
                    .execute();
            if (updated == 1) {
                event(tx, runId, null, "status", status == RunStatus.FAILED ? "error" : "info", message, null);
            }
            return updated == 1;
        });
        if (moved) {
            notify(runId);
        }
        return moved;
    }

    /**
     * Ends a run as failed by the process's own decision (a step failed and the process compensated
     * and ended), with the failed step and its message; returns whether it moved.
     */
    public boolean finishFailed(UUID runId, String failedStep, String message) {
        boolean moved = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.STATUS, RunStatus.FAILED.wireName())
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, failedStep)
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, message)
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .set(SCAFFOLDER_RUNS.FINISHED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .and(SCAFFOLDER_RUNS.STATUS.notIn(finalStatuses()))
                    .execute();
            if (updated == 1) {
                event(tx, runId, null, "status", "error", failedStep == null ? "run failed: " + message
                        : "run failed at " + failedStep + ": " + message, null);
            }
            return updated == 1;
        });
        if (moved) {
            notify(runId);
        }
        return moved;
    }

    /** Moves a run from {@code from} to {@code to} only if it is in {@code from}; returns whether it moved. */
    public boolean transitionFrom(UUID runId, RunStatus from, RunStatus to, String message) {
        boolean moved = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.STATUS, to.wireName())
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, clearsFailure(to) ? DSL.inline((String) null) : SCAFFOLDER_RUNS.FAILED_STEP)
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, clearsFailure(to) ? DSL.inline((String) null) : SCAFFOLDER_RUNS.ERROR_MESSAGE)
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId), SCAFFOLDER_RUNS.STATUS.eq(from.wireName()))
                    .execute();
            if (updated == 1) {
                // a failed run that moves on again (a retry) recovered, in Backstage's words too
                event(tx, runId, null, from == RunStatus.FAILED ? "recovered" : "status", "info", message, null);
            }
            return updated == 1;
        });
        if (moved) {
            notify(runId);
        }
        return moved;
    }

    /**
     * A job for {@code stepId} arrived. Decides whether it is a redelivery of finished work (replay the
     * recorded output), a redelivery of unfinished work (same attempt; a new delivery if it is a new
     * activation of the job, which the log shows) or a new attempt.
     *
     * @param activation identifies this activation of the job (see {@link StepJob#activation()})
     */
    public StepStart beginStep(UUID runId, String stepId, String action, long elementInstanceKey, long jobKey,
                               long activation) {
        StepStart start = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            ScaffolderStepsRecord row = tx.selectFrom(SCAFFOLDER_STEPS)
                    .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId))
                    .forUpdate()
                    .fetchOne();
            if (row != null && row.getElementInstanceKey() == elementInstanceKey) {
                if ("completed".equals(row.getStatus())) {
                    return new StepStart(row.getAttempt(), row.getDelivery(), Optional.of(readObject(row.getOutput())));
                }
                if ("running".equals(row.getStatus()) && row.getJobKey() == jobKey) {
                    if (row.getActivation() == activation) {
                        return new StepStart(row.getAttempt(), row.getDelivery(), Optional.empty());
                    }
                    // the job came back from a worker that stopped answering (a host that died)
                    int delivery = row.getDelivery() + 1;
                    tx.update(SCAFFOLDER_STEPS)
                            .set(SCAFFOLDER_STEPS.DELIVERY, delivery)
                            .set(SCAFFOLDER_STEPS.ACTIVATION, activation)
                            .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId))
                            .execute();
                    event(tx, runId, stepId, "step-started", "warn", stepId + " (" + action + ") taken up again"
                                    + (row.getAttempt() > 1 ? " in attempt " + row.getAttempt() : "")
                                    + ": the worker that had it stopped answering",
                            stepKey(stepId, row.getAttempt(), "started-" + delivery));
                    return new StepStart(row.getAttempt(), delivery, Optional.empty());
                }
            }
            int attempt = row == null ? 1 : row.getAttempt() + 1;
            tx.insertInto(SCAFFOLDER_STEPS)
                    .set(SCAFFOLDER_STEPS.RUN_ID, runId)
                    .set(SCAFFOLDER_STEPS.STEP_ID, stepId)
                    .set(SCAFFOLDER_STEPS.ACTION, action)
                    .set(SCAFFOLDER_STEPS.ELEMENT_INSTANCE_KEY, elementInstanceKey)
                    .set(SCAFFOLDER_STEPS.JOB_KEY, jobKey)
                    .set(SCAFFOLDER_STEPS.STATUS, "running")
                    .set(SCAFFOLDER_STEPS.ATTEMPT, attempt)
                    .set(SCAFFOLDER_STEPS.DELIVERY, 1)
                    .set(SCAFFOLDER_STEPS.ACTIVATION, activation)
                    .onConflict(SCAFFOLDER_STEPS.RUN_ID, SCAFFOLDER_STEPS.STEP_ID)
                    .doUpdate()
                    .set(SCAFFOLDER_STEPS.ACTION, action)
                    .set(SCAFFOLDER_STEPS.ELEMENT_INSTANCE_KEY, elementInstanceKey)
                    .set(SCAFFOLDER_STEPS.JOB_KEY, jobKey)
                    .set(SCAFFOLDER_STEPS.STATUS, "running")
                    .set(SCAFFOLDER_STEPS.ATTEMPT, attempt)
                    .set(SCAFFOLDER_STEPS.DELIVERY, 1)
                    .set(SCAFFOLDER_STEPS.ACTIVATION, activation)
                    .set(SCAFFOLDER_STEPS.OUTPUT, DSL.inline((String) null))
                    .set(SCAFFOLDER_STEPS.ERROR_MESSAGE, DSL.inline((String) null))
                    .set(SCAFFOLDER_STEPS.STARTED_AT, DSL.currentOffsetDateTime())
                    .set(SCAFFOLDER_STEPS.FINISHED_AT, DSL.inline((OffsetDateTime) null))
                    .execute();
            event(tx, runId, stepId, "step-started", "info",
                    stepId + " (" + action + ") started" + (attempt > 1 ? ", attempt " + attempt : ""),
                    stepKey(stepId, attempt, "started"));
            return new StepStart(attempt, 1, Optional.empty());
        });
        notify(runId);
        return start;
    }

    /** The step finished: records its output (merged into the run's output) in one transaction. */
    public void completeStep(UUID runId, String stepId, int attempt, ObjectNode output) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_STEPS)
                    .set(SCAFFOLDER_STEPS.STATUS, "completed")
                    .set(SCAFFOLDER_STEPS.OUTPUT, write(output))
                    .set(SCAFFOLDER_STEPS.FINISHED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId),
                            SCAFFOLDER_STEPS.ATTEMPT.eq(attempt), SCAFFOLDER_STEPS.STATUS.eq("running"))
                    .execute();
            if (updated == 0) {
                // the attempt was settled before this delivery's action returned (given up after its
                // maximum time, or finished by another delivery): this output is not the step's
                event(tx, runId, stepId, "log", "warn", stepId + " finished in attempt " + attempt
                        + " after that attempt was already settled (given up, or finished by another delivery);"
                        + " this output was dropped", stepKey(stepId, attempt, "late"));
                return;
            }
            String current = tx.select(SCAFFOLDER_RUNS.OUTPUT).from(SCAFFOLDER_RUNS)
                    .where(SCAFFOLDER_RUNS.ID.eq(runId)).forUpdate().fetchOne(SCAFFOLDER_RUNS.OUTPUT);
            ObjectNode merged = readObject(current == null ? "{}" : current);
            merged.setAll(output);
            tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.OUTPUT, write(merged))
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .execute();
            event(tx, runId, stepId, "step-completed", "info", stepId + " completed", stepKey(stepId, attempt, "completed"));
        });
        notify(runId);
    }

    /**
     * The step failed. With retries left it is only an event; without, the step and the run are
     * failed (Zeebe raises an incident) with this message.
     */
    public void failStep(UUID runId, String stepId, int attempt, String message, int retriesLeft, Long incidentKey) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            // failed, so that the next delivery (a retry) counts as a new attempt
            tx.update(SCAFFOLDER_STEPS)
                    .set(SCAFFOLDER_STEPS.STATUS, "failed")
                    .set(SCAFFOLDER_STEPS.ERROR_MESSAGE, message)
                    .set(SCAFFOLDER_STEPS.FINISHED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId),
                            SCAFFOLDER_STEPS.ATTEMPT.eq(attempt))
                    .execute();
            if (retriesLeft > 0) {
                event(tx, runId, stepId, "step-failed", "warn",
                        stepId + " failed, " + retriesLeft + " retries left: " + message,
                        stepKey(stepId, attempt, "failed-" + retriesLeft));
                return;
            }
            // the run's row before its event counter, as every other transaction here locks them
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.STATUS, RunStatus.FAILED.wireName())
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, stepId)
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, message)
                    .set(SCAFFOLDER_RUNS.INCIDENT_KEY, incidentKey)
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .and(SCAFFOLDER_RUNS.STATUS.notIn(finalStatuses()))
                    .execute();
            event(tx, runId, stepId, "step-failed", "error", stepId + " failed: " + message,
                    stepKey(stepId, attempt, "failed"));
            if (updated == 1) {
                event(tx, runId, null, "status", "error", "run failed at " + stepId + ": " + message,
                        stepKey(stepId, attempt, "run-failed"));
            }
        });
        notify(runId);
    }

    /**
     * The process is stuck in an incident at {@code elementId} that no action failure recorded: the
     * run fails with Zeebe's message. Returns whether the run moved (once per incident).
     */
    public boolean incident(UUID runId, String elementId, String message, long incidentKey) {
        boolean moved = dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_RUNS)
                    .set(SCAFFOLDER_RUNS.STATUS, RunStatus.FAILED.wireName())
                    .set(SCAFFOLDER_RUNS.FAILED_STEP, elementId)
                    .set(SCAFFOLDER_RUNS.ERROR_MESSAGE, message)
                    .set(SCAFFOLDER_RUNS.INCIDENT_KEY, incidentKey)
                    .set(SCAFFOLDER_RUNS.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_RUNS.ID.eq(runId))
                    .and(SCAFFOLDER_RUNS.STATUS.in(RunStatus.RUNNING.wireName(), RunStatus.WAITING_FOR_APPROVAL.wireName()))
                    // a search index that lags may still list the incident a retry just resolved
                    .and(SCAFFOLDER_RUNS.INCIDENT_KEY.isDistinctFrom(incidentKey))
                    .execute();
            if (updated == 1) {
                event(tx, runId, elementId, "step-failed", "error", elementId + " failed: " + message,
                        "incident/" + incidentKey);
            }
            return updated == 1;
        });
        if (moved) {
            notify(runId);
        }
        return moved;
    }

    /** Remembers the incident a retry resolved, so that a lagging incident search does not fail the run again. */
    public void resolvedIncident(UUID runId, long incidentKey) {
        dsl.update(SCAFFOLDER_RUNS).set(SCAFFOLDER_RUNS.INCIDENT_KEY, incidentKey).where(SCAFFOLDER_RUNS.ID.eq(runId)).execute();
    }

    /** A step threw a BPMN error; the process decides what happens next. */
    public void stepError(UUID runId, String stepId, int attempt, String errorCode, String message) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            int updated = tx.update(SCAFFOLDER_STEPS)
                    .set(SCAFFOLDER_STEPS.STATUS, "failed")
                    .set(SCAFFOLDER_STEPS.ERROR_MESSAGE, errorCode + ": " + message)
                    .set(SCAFFOLDER_STEPS.FINISHED_AT, DSL.currentOffsetDateTime())
                    .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId),
                            SCAFFOLDER_STEPS.ATTEMPT.eq(attempt), SCAFFOLDER_STEPS.STATUS.eq("running"))
                    .execute();
            if (updated == 0) {
                // as in completeStep: an attempt settled before its action returned
                event(tx, runId, stepId, "log", "warn", stepId + " raised BPMN error " + errorCode + " in attempt "
                        + attempt + " after that attempt was already settled; the error was dropped",
                        stepKey(stepId, attempt, "late"));
                return;
            }
            event(tx, runId, stepId, "step-error", "warn", stepId + " raised BPMN error " + errorCode + ": " + message,
                    stepKey(stepId, attempt, "error"));
        });
        notify(runId);
    }

    /** The incident of a failed run, as recorded when its step failed for good. */
    public Optional<Long> incidentKey(UUID runId) {
        return dsl.select(SCAFFOLDER_RUNS.INCIDENT_KEY).from(SCAFFOLDER_RUNS)
                .where(SCAFFOLDER_RUNS.ID.eq(runId))
                .fetchOptional(SCAFFOLDER_RUNS.INCIDENT_KEY);
    }

    /** The attempt of a step that job {@code jobKey} is running now, if it began one. */
    public Optional<Integer> runningAttempt(UUID runId, String stepId, long jobKey) {
        return dsl.select(SCAFFOLDER_STEPS.ATTEMPT).from(SCAFFOLDER_STEPS)
                .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId),
                        SCAFFOLDER_STEPS.JOB_KEY.eq(jobKey), SCAFFOLDER_STEPS.STATUS.eq("running"))
                .fetchOptional(SCAFFOLDER_STEPS.ATTEMPT);
    }

    /** The job key of a step's latest job (to retry a failed one). */
    public Optional<Long> stepJobKey(UUID runId, String stepId) {
        return dsl.select(SCAFFOLDER_STEPS.JOB_KEY).from(SCAFFOLDER_STEPS)
                .where(SCAFFOLDER_STEPS.RUN_ID.eq(runId), SCAFFOLDER_STEPS.STEP_ID.eq(stepId))
                .fetchOptional(SCAFFOLDER_STEPS.JOB_KEY);
    }

    /**
     * Appends a line to a run's log. {@code sequence} numbers the lines of one delivery of an
     * attempt of a step: the same line written twice by one delivery is kept once, while a delivery
     * that took over from a worker that died keeps its own lines ("already pushed, nothing to push").
     */
    public void log(UUID runId, String stepId, int attempt, int delivery, int sequence, String level, String message) {
        dsl.transaction(cfg -> event(cfg.dsl(), runId, stepId, "log", level, message,
                stepId == null ? null : stepKey(stepId, attempt, (delivery > 1 ? "d" + delivery + "-" : "") + "log-" + sequence)));
        notify(runId);
    }

    /**
     * An event of a step the portal's actions do not run (an approval's user task), written once
     * per {@code dedupeKey}: a redelivered job or a decision applied again writes no second line.
     */
    public void stepEvent(UUID runId, String stepId, String type, String level, String message, String dedupeKey) {
        dsl.transaction(cfg -> event(cfg.dsl(), runId, stepId, type, level, message, dedupeKey));
        notify(runId);
    }

    /** A run-level event (not tied to a step, never deduplicated). */
    public void runEvent(UUID runId, String type, String level, String message) {
        dsl.transaction(cfg -> event(cfg.dsl(), runId, null, type, level, message, null));
        notify(runId);
    }

    /** The run's events after {@code afterId} (exclusive), in the order they committed. */
    public List<RunEvent> events(UUID runId, long afterId, int limit) {
        return dsl.selectFrom(SCAFFOLDER_EVENTS)
                .where(SCAFFOLDER_EVENTS.RUN_ID.eq(runId), SCAFFOLDER_EVENTS.SEQ.gt(afterId))
                .orderBy(SCAFFOLDER_EVENTS.SEQ)
                .limit(limit)
                .fetch(row -> new RunEvent(row.getSeq(), row.getRunId(), Optional.ofNullable(row.getStepId()),
                        row.getType(), row.getLevel(), row.getMessage(), row.getCreatedAt()));
    }

    /**
     * Writes an event numbered by its run's counter, which the statement locks until {@code tx}
     * ends: events of one run commit in the order of their numbers. Always the last lock a
     * transaction here takes (after the step's and the run's rows), so no two of them deadlock.
     */
    private static void event(DSLContext tx, UUID runId, String stepId, String type, String level, String message,
                              String dedupeKey) {
        if (dedupeKey != null && tx.fetchExists(SCAFFOLDER_EVENTS,
                SCAFFOLDER_EVENTS.RUN_ID.eq(runId), SCAFFOLDER_EVENTS.DEDUPE_KEY.eq(dedupeKey))) {
            return;
        }
        long seq = tx.insertInto(SCAFFOLDER_EVENT_COUNTERS)
                .set(SCAFFOLDER_EVENT_COUNTERS.RUN_ID, runId)
                .set(SCAFFOLDER_EVENT_COUNTERS.LAST_SEQ, 1L)
                .onConflict(SCAFFOLDER_EVENT_COUNTERS.RUN_ID)
                .doUpdate()
                .set(SCAFFOLDER_EVENT_COUNTERS.LAST_SEQ, SCAFFOLDER_EVENT_COUNTERS.LAST_SEQ.plus(1L))
                .returningResult(SCAFFOLDER_EVENT_COUNTERS.LAST_SEQ)
                .fetchOne()
                .value1();
        var insert = tx.insertInto(SCAFFOLDER_EVENTS)
                .set(SCAFFOLDER_EVENTS.RUN_ID, runId)
                .set(SCAFFOLDER_EVENTS.SEQ, seq)
                .set(SCAFFOLDER_EVENTS.STEP_ID, stepId)
                .set(SCAFFOLDER_EVENTS.TYPE, type)
                .set(SCAFFOLDER_EVENTS.LEVEL, level)
                .set(SCAFFOLDER_EVENTS.MESSAGE, message)
                .set(SCAFFOLDER_EVENTS.DEDUPE_KEY, dedupeKey);
        if (dedupeKey == null) {
            insert.execute();
        } else {
            // a concurrent copy that committed while this one waited for the counter: a gap in seq, no harm
            insert.onConflict(SCAFFOLDER_EVENTS.RUN_ID, SCAFFOLDER_EVENTS.DEDUPE_KEY).doNothing().execute();
        }
        // every instance's streams hear of it when the transaction commits (RunEventNotifications);
        // PostgreSQL sends one notification per run and transaction however many events it wrote
        tx.execute("select pg_notify({0}, {1})", DSL.inline(RunEventNotifications.CHANNEL), DSL.val(runId.toString()));
    }

    /**
     * A run that runs again (a retry) or completed is not failed: the step and message of an earlier
     * failure would tell a lie (they stay in the event log). Rejected and cancelled runs keep them.
     */
    private static boolean clearsFailure(RunStatus status) {
        return status == RunStatus.RUNNING || status == RunStatus.WAITING_FOR_APPROVAL || status == RunStatus.COMPLETED;
    }

    private static String stepKey(String stepId, int attempt, String what) {
        return stepId + "/" + attempt + "/" + what;
    }

    private static List<String> finalStatuses() {
        List<String> statuses = new ArrayList<>();
        for (RunStatus status : RunStatus.values()) {
            if (status.isFinal()) {
                statuses.add(status.wireName());
            }
        }
        return statuses;
    }

    private void notify(UUID runId) {
        eventListeners.forEach(listener -> listener.accept(runId));
    }

    private static Run run(ScaffolderRunsRecord row, List<Run.Step> steps) {
        return new Run(row.getId(), row.getTemplateRef(), row.getTemplateVersion(), row.getProcessId(),
                Optional.ofNullable(row.getProcessInstanceKey()), readObject(row.getParameterValues()),
                row.getRequester(), RunStatus.fromWireName(row.getStatus()), Optional.ofNullable(row.getFailedStep()),
                Optional.ofNullable(row.getErrorMessage()), readObject(row.getOutput()), steps, row.getCreatedAt(),
                row.getUpdatedAt(), Optional.ofNullable(row.getFinishedAt()));
    }

    private static Run.Step step(ScaffolderStepsRecord row) {
        return new Run.Step(row.getStepId(), row.getAction(), row.getStatus(), row.getAttempt(),
                Optional.ofNullable(row.getOutput()).map(RunStore::readObject), Optional.ofNullable(row.getErrorMessage()),
                row.getStartedAt(), Optional.ofNullable(row.getFinishedAt()));
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }

    private static ObjectNode readObject(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored JSON is not an object: " + json, e);
        }
    }
}
