package dev.portal.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.NotAllowedException;
import dev.portal.scaffolder.secret.SecretBox;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static dev.portal.db.workflows.Tables.APPROVAL_AUDIT;
import static dev.portal.db.workflows.Tables.APPROVAL_DECISIONS;
import static dev.portal.db.workflows.Tables.APPROVAL_NOTIFICATIONS;
import static dev.portal.db.workflows.Tables.APPROVAL_TASKS;
import static dev.portal.db.workflows.Tables.SCAFFOLDER_RUNS;

/**
 * The approval inbox in PostgreSQL: tasks by their own id (a job key is unique per engine cluster
 * only, so it identifies a task only together with its run), decisions (one per task, primary key),
 * and the audit trail. Every state change writes its audit entry in the same transaction.
 */
public final class ApprovalStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPEN = ApprovalStatus.OPEN.wireName();

    private final DSLContext dsl;

    public ApprovalStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Records a task unless its run's job is recorded already (a redelivery); returns whether it is
     * new. Either way {@link #findByJob} finds it afterwards.
     */
    public boolean record(NewApprovalTask task) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            UUID id = UUID.randomUUID();
            int inserted = tx.insertInto(APPROVAL_TASKS)
                    .set(APPROVAL_TASKS.ID, id)
                    .set(APPROVAL_TASKS.JOB_KEY, task.jobKey())
                    .set(APPROVAL_TASKS.RUN_ID, task.runId())
                    .set(APPROVAL_TASKS.ELEMENT_ID, task.stepId())
                    .set(APPROVAL_TASKS.ELEMENT_INSTANCE_KEY, task.elementInstanceKey())
                    .set(APPROVAL_TASKS.PROCESS_INSTANCE_KEY, task.processInstanceKey())
                    .set(APPROVAL_TASKS.NAME, task.name())
                    .set(APPROVAL_TASKS.FORM_KEY, task.formKey().orElse(null))
                    .set(APPROVAL_TASKS.ASSIGNEE, task.assignee().map(EntityRef::canonical).orElse(null))
                    .set(APPROVAL_TASKS.CANDIDATE_USERS, refs(task.candidateUsers()))
                    .set(APPROVAL_TASKS.CANDIDATE_GROUPS, refs(task.candidateGroups()))
                    .set(APPROVAL_TASKS.DUE_DATE, task.dueDate().orElse(null))
                    // an approver sees what the run asked for, never a secret parameter (not even sealed)
                    .set(APPROVAL_TASKS.VARIABLES, write((ObjectNode) SecretBox.mask(task.variables())))
                    .set(APPROVAL_TASKS.FOUR_EYES, task.fourEyes())
                    .set(APPROVAL_TASKS.HEADERS, writeHeaders(task.headers()))
                    .set(APPROVAL_TASKS.STATUS, OPEN)
                    .onConflict(APPROVAL_TASKS.RUN_ID, APPROVAL_TASKS.JOB_KEY).doNothing()
                    .execute();
            if (inserted == 1) {
                audit(tx, id, task.jobKey(), task.runId(), "created", "portal", null);
                // one engine never hands out a job key twice: an open task of another run under this
                // key belongs to an engine that is gone (a restarted in-JVM engine), its job with it;
                // closed in this transaction, so the two are never open side by side
                var stale = tx.update(APPROVAL_TASKS)
                        .set(APPROVAL_TASKS.STATUS, ApprovalStatus.CANCELLED.wireName())
                        .set(APPROVAL_TASKS.CLOSED_AT, DSL.currentOffsetDateTime())
                        .where(APPROVAL_TASKS.JOB_KEY.eq(task.jobKey()), APPROVAL_TASKS.STATUS.eq(OPEN),
                                APPROVAL_TASKS.RUN_ID.ne(task.runId()))
                        .returning(APPROVAL_TASKS.ID, APPROVAL_TASKS.RUN_ID)
                        .fetch();
                for (var row : stale) {
                    audit(tx, row.getId(), task.jobKey(), row.getRunId(), ApprovalStatus.CANCELLED.wireName(), "portal",
                            "the engine that held job " + task.jobKey() + " is gone: task " + id + " of run "
                                    + task.runId() + " has that key now");
                }
            }
            return inserted == 1;
        });
    }

    public Optional<ApprovalTask> find(UUID id) {
        return select(dsl, APPROVAL_TASKS.ID.eq(id)).stream().findFirst();
    }

    /** The task a run's user-task job is recorded as. */
    public Optional<ApprovalTask> findByJob(UUID runId, long jobKey) {
        return select(dsl, APPROVAL_TASKS.RUN_ID.eq(runId).and(APPROVAL_TASKS.JOB_KEY.eq(jobKey))).stream().findFirst();
    }

    /** Whether a task of another run was recorded under {@code task}'s job key after it. */
    public boolean jobKeyReusedAfter(ApprovalTask task) {
        return dsl.fetchExists(APPROVAL_TASKS, APPROVAL_TASKS.JOB_KEY.eq(task.jobKey()),
                APPROVAL_TASKS.RUN_ID.ne(task.runId()), APPROVAL_TASKS.CREATED_AT.ge(task.createdAt()));
    }

    /** Open tasks, oldest first. */
    public List<ApprovalTask> open() {
        return select(dsl, APPROVAL_TASKS.STATUS.eq(OPEN));
    }

    /**
     * Open tasks due after {@code now} and at most {@code lead} later, about which nobody was told
     * {@code event} yet; at most {@code limit} of them, soonest due first.
     */
    public List<ApprovalTask> dueSoon(OffsetDateTime now, Duration lead, String event, int limit) {
        return dsl.select(APPROVAL_TASKS.asterisk(), SCAFFOLDER_RUNS.REQUESTER, SCAFFOLDER_RUNS.TEMPLATE_REF)
                .from(APPROVAL_TASKS)
                .join(SCAFFOLDER_RUNS).on(SCAFFOLDER_RUNS.ID.eq(APPROVAL_TASKS.RUN_ID))
                .where(APPROVAL_TASKS.STATUS.eq(OPEN), APPROVAL_TASKS.DUE_DATE.gt(now), APPROVAL_TASKS.DUE_DATE.le(now.plus(lead)))
                .andNotExists(DSL.selectOne().from(APPROVAL_NOTIFICATIONS)
                        .where(APPROVAL_NOTIFICATIONS.TASK_ID.eq(APPROVAL_TASKS.ID), APPROVAL_NOTIFICATIONS.EVENT.eq(event)))
                .orderBy(APPROVAL_TASKS.DUE_DATE, APPROVAL_TASKS.ID)
                .limit(limit)
                .fetch(ApprovalStore::task);
    }

    public List<ApprovalTask> openOfRun(UUID runId) {
        return select(dsl, APPROVAL_TASKS.STATUS.eq(OPEN).and(APPROVAL_TASKS.RUN_ID.eq(runId)));
    }

    public List<ApprovalTask> ofRun(UUID runId) {
        return select(dsl, APPROVAL_TASKS.RUN_ID.eq(runId));
    }

    /**
     * Claims an open task for {@code user}, unless somebody else holds it; returns whether the
     * caller now holds it.
     */
    public boolean claim(UUID id, EntityRef user) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var claimed = tx.update(APPROVAL_TASKS)
                    .set(APPROVAL_TASKS.CLAIMED_BY, user.canonical())
                    .where(APPROVAL_TASKS.ID.eq(id), APPROVAL_TASKS.STATUS.eq(OPEN))
                    .and(APPROVAL_TASKS.CLAIMED_BY.isNull().or(APPROVAL_TASKS.CLAIMED_BY.eq(user.canonical())))
                    .returning(APPROVAL_TASKS.RUN_ID, APPROVAL_TASKS.JOB_KEY)
                    .fetchOptional();
            claimed.ifPresent(row -> audit(tx, id, row.getJobKey(), row.getRunId(), "claimed", user.canonical(), null));
            return claimed.isPresent();
        });
    }

    /** Releases a claim held by {@code holder}; returns whether it was held. */
    public boolean unclaim(UUID id, EntityRef holder, String actor) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var released = tx.update(APPROVAL_TASKS)
                    .setNull(APPROVAL_TASKS.CLAIMED_BY)
                    .where(APPROVAL_TASKS.ID.eq(id), APPROVAL_TASKS.STATUS.eq(OPEN),
                            APPROVAL_TASKS.CLAIMED_BY.eq(holder.canonical()))
                    .returning(APPROVAL_TASKS.RUN_ID, APPROVAL_TASKS.JOB_KEY)
                    .fetchOptional();
            released.ifPresent(row -> audit(tx, id, row.getJobKey(), row.getRunId(), "unclaimed", actor, null));
            return released.isPresent();
        });
    }

    /**
     * Records a decision and closes the task, in one transaction. Returns empty when the task was not
     * open any more or another decision got there first: exactly one decision per task is ever stored.
     */
    public Optional<Decision> decide(UUID id, boolean approved, String comment, EntityRef approver, ObjectNode variables) {
        return decide(id, approved, comment, approver, variables, false);
    }

    /**
     * Records a decision, closing the task; empty when the task was decided, closed or claimed by
     * somebody else meanwhile.
     *
     * @param onePerPerson refuse (with {@link NotAllowedException}) when {@code approver} decided
     *                     another task of the run: checked under a lock per run, so two decisions
     *                     sent at the same instant cannot both pass
     */
    public Optional<Decision> decide(UUID id, boolean approved, String comment, EntityRef approver, ObjectNode variables,
                                     boolean onePerPerson) {
        try {
            return dsl.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                if (onePerPerson) {
                    UUID run = tx.select(APPROVAL_TASKS.RUN_ID).from(APPROVAL_TASKS).where(APPROVAL_TASKS.ID.eq(id))
                            .fetchOne(APPROVAL_TASKS.RUN_ID);
                    if (run != null) {
                        // held to the end of the transaction: a second decision of the run waits, then sees this one
                        tx.fetch("select pg_advisory_xact_lock(hashtextextended(?, 0))", "portal.approval-run:" + run);
                        if (tx.fetchExists(APPROVAL_DECISIONS, APPROVAL_DECISIONS.RUN_ID.eq(run),
                                APPROVAL_DECISIONS.APPROVER.eq(approver.canonical()), APPROVAL_DECISIONS.TASK_ID.ne(id))) {
                            throw new NotAllowedException("separate deciders: " + approver.canonical()
                                    + " decided another approval of run " + run + " already; another person decides this one");
                        }
                    }
                }
                var closed = tx.update(APPROVAL_TASKS)
                        .set(APPROVAL_TASKS.STATUS, approved ? ApprovalStatus.APPROVED.wireName() : ApprovalStatus.REJECTED.wireName())
                        .set(APPROVAL_TASKS.CLOSED_AT, DSL.currentOffsetDateTime())
                        .where(APPROVAL_TASKS.ID.eq(id), APPROVAL_TASKS.STATUS.eq(OPEN))
                        // a claim taken meanwhile by somebody else wins
                        .and(APPROVAL_TASKS.CLAIMED_BY.isNull().or(APPROVAL_TASKS.CLAIMED_BY.eq(approver.canonical())))
                        .returning(APPROVAL_TASKS.RUN_ID, APPROVAL_TASKS.JOB_KEY)
                        .fetchOptional();
                if (closed.isEmpty()) {
                    return Optional.<Decision>empty();
                }
                UUID runId = closed.get().getRunId();
                long jobKey = closed.get().getJobKey();
                var row = tx.insertInto(APPROVAL_DECISIONS)
                        .set(APPROVAL_DECISIONS.TASK_ID, id)
                        .set(APPROVAL_DECISIONS.JOB_KEY, jobKey)
                        .set(APPROVAL_DECISIONS.RUN_ID, runId)
                        .set(APPROVAL_DECISIONS.APPROVED, approved)
                        .set(APPROVAL_DECISIONS.COMMENT, comment)
                        .set(APPROVAL_DECISIONS.APPROVER, approver.canonical())
                        .set(APPROVAL_DECISIONS.VARIABLES, write(variables))
                        .returning()
                        .fetchOne();
                audit(tx, id, jobKey, runId, approved ? "approved" : "rejected", approver.canonical(), comment);
                return Optional.of(decision(row));
            });
        } catch (IntegrityConstraintViolationException e) {
            return Optional.empty();
        }
    }

    public Optional<Decision> decision(UUID taskId) {
        return dsl.selectFrom(APPROVAL_DECISIONS).where(APPROVAL_DECISIONS.TASK_ID.eq(taskId))
                .fetchOptional(ApprovalStore::decision);
    }

    /** Decisions of a run, in the order they were made. */
    public List<Decision> decisionsOfRun(UUID runId) {
        return dsl.selectFrom(APPROVAL_DECISIONS).where(APPROVAL_DECISIONS.RUN_ID.eq(runId))
                .orderBy(APPROVAL_DECISIONS.DECIDED_AT).fetch(ApprovalStore::decision);
    }

    /** Decisions Zeebe has not accepted yet (the process crashed or the engine was away). */
    public List<Decision> unapplied() {
        return dsl.selectFrom(APPROVAL_DECISIONS).where(APPROVAL_DECISIONS.APPLIED_AT.isNull())
                .orderBy(APPROVAL_DECISIONS.DECIDED_AT).fetch(ApprovalStore::decision);
    }

    public void applied(UUID taskId) {
        dsl.update(APPROVAL_DECISIONS).set(APPROVAL_DECISIONS.APPLIED_AT, DSL.currentOffsetDateTime())
                .where(APPROVAL_DECISIONS.TASK_ID.eq(taskId), APPROVAL_DECISIONS.APPLIED_AT.isNull())
                .execute();
    }

    /** Closes an open task without a decision (escalated, cancelled); returns whether it was open. */
    public boolean close(UUID id, ApprovalStatus status, String actor) {
        return close(id, status, actor, null);
    }

    /** Closes an open task without a decision, saying why in the audit; returns whether it was open. */
    public boolean close(UUID id, ApprovalStatus status, String actor, String comment) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var closed = tx.update(APPROVAL_TASKS)
                    .set(APPROVAL_TASKS.STATUS, status.wireName())
                    .set(APPROVAL_TASKS.CLOSED_AT, DSL.currentOffsetDateTime())
                    .where(APPROVAL_TASKS.ID.eq(id), APPROVAL_TASKS.STATUS.eq(OPEN))
                    .returning(APPROVAL_TASKS.RUN_ID, APPROVAL_TASKS.JOB_KEY)
                    .fetchOptional();
            closed.ifPresent(row -> audit(tx, id, row.getJobKey(), row.getRunId(), status.wireName(), actor, comment));
            return closed.isPresent();
        });
    }

    public List<AuditEntry> audit(UUID runId) {
        return dsl.selectFrom(APPROVAL_AUDIT).where(APPROVAL_AUDIT.RUN_ID.eq(runId)).orderBy(APPROVAL_AUDIT.ID)
                .fetch(row -> new AuditEntry(row.getId(), row.getTaskId(), row.getJobKey(), row.getRunId(), row.getAction(), row.getActor(),
                        Optional.ofNullable(row.getComment()), row.getCreatedAt()));
    }

    private static void audit(DSLContext tx, UUID taskId, long jobKey, UUID runId, String action, String actor, String comment) {
        tx.insertInto(APPROVAL_AUDIT)
                .set(APPROVAL_AUDIT.TASK_ID, taskId)
                .set(APPROVAL_AUDIT.JOB_KEY, jobKey)
                .set(APPROVAL_AUDIT.RUN_ID, runId)
                .set(APPROVAL_AUDIT.ACTION, action)
                .set(APPROVAL_AUDIT.ACTOR, actor)
                .set(APPROVAL_AUDIT.COMMENT, comment)
                .execute();
    }

    private static List<ApprovalTask> select(DSLContext dsl, Condition condition) {
        return dsl.select(APPROVAL_TASKS.asterisk(), SCAFFOLDER_RUNS.REQUESTER, SCAFFOLDER_RUNS.TEMPLATE_REF)
                .from(APPROVAL_TASKS)
                .join(SCAFFOLDER_RUNS).on(SCAFFOLDER_RUNS.ID.eq(APPROVAL_TASKS.RUN_ID))
                .where(condition)
                .orderBy(APPROVAL_TASKS.CREATED_AT, APPROVAL_TASKS.ID)
                .fetch(ApprovalStore::task);
    }

    private static ApprovalTask task(Record row) {
        return new ApprovalTask(row.get(APPROVAL_TASKS.ID), row.get(APPROVAL_TASKS.JOB_KEY), row.get(APPROVAL_TASKS.RUN_ID),
                row.get(SCAFFOLDER_RUNS.REQUESTER), row.get(SCAFFOLDER_RUNS.TEMPLATE_REF), row.get(APPROVAL_TASKS.ELEMENT_ID),
                row.get(APPROVAL_TASKS.NAME), Optional.ofNullable(row.get(APPROVAL_TASKS.FORM_KEY)),
                Optional.ofNullable(row.get(APPROVAL_TASKS.ASSIGNEE)).map(EntityRef::parse),
                parseRefs(row.get(APPROVAL_TASKS.CANDIDATE_USERS)), parseRefs(row.get(APPROVAL_TASKS.CANDIDATE_GROUPS)),
                Optional.ofNullable(row.get(APPROVAL_TASKS.DUE_DATE)), readObject(row.get(APPROVAL_TASKS.VARIABLES)),
                row.get(APPROVAL_TASKS.FOUR_EYES), ApprovalStatus.fromWireName(row.get(APPROVAL_TASKS.STATUS)),
                Optional.ofNullable(row.get(APPROVAL_TASKS.CLAIMED_BY)).map(EntityRef::parse),
                row.get(APPROVAL_TASKS.CREATED_AT), Optional.ofNullable(row.get(APPROVAL_TASKS.CLOSED_AT)),
                readHeaders(row.get(APPROVAL_TASKS.HEADERS)));
    }

    private static Decision decision(dev.portal.db.workflows.tables.records.ApprovalDecisionsRecord row) {
        return new Decision(row.getTaskId(), row.getJobKey(), row.getApproved(), Optional.ofNullable(row.getComment()), row.getApprover(),
                readObject(row.getVariables()), row.getDecidedAt(), Optional.ofNullable(row.getAppliedAt()));
    }

    private static String refs(List<EntityRef> refs) {
        try {
            return JSON.writeValueAsString(refs.stream().map(EntityRef::canonical).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<EntityRef> parseRefs(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { }).stream().map(EntityRef::parse).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored refs are not a JSON list: " + json, e);
        }
    }

    private static String writeHeaders(Map<String, String> headers) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(headers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readHeaders(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored headers are not a JSON object of strings: " + json, e);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node == null ? JSON.createObjectNode() : node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode readObject(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not an object: " + json, e);
        }
    }
}
