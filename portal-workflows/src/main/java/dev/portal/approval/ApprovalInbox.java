package dev.portal.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.CatalogText;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.ConflictException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import dev.portal.error.NotFoundException;
import dev.portal.error.UnavailableException;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The approval inbox: records the user tasks runs reach, says who may decide them, takes claims
 * and decisions, and completes the tasks' jobs in Zeebe with {@code approved}, {@code approvalComment},
 * {@code approver} and {@code decidedAt} (plus form variables) for the BPMN to branch on.
 *
 * <p>Exactly once: a decision is stored (one per task, by primary key) before Zeebe hears of it, and
 * {@link #reconcile()} applies stored decisions Zeebe never accepted (a crash in between). Tasks
 * whose job disappeared (an escalation timer interrupted them) are closed as escalated.
 */
public final class ApprovalInbox {

    /** Variables a decision sets; form variables may not override them. */
    public static final Set<String> DECISION_VARIABLES = Set.of("approved", "approvalComment", "approver", "decidedAt");

    /** Variables that tie the process to its run and request; an approver's form may not change them either. */
    public static final Set<String> RUN_VARIABLES = Set.of("portalRunId", "portalOutcome", "values", "templateRef", "requester");

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_COMMENT = 10_000;

    private final ApprovalStore store;
    private final RunStore runs;
    private final ApprovalPolicy policy;
    private final ApprovalEngine engine;
    private final List<ApprovalListener> listeners;
    private final boolean separateDeciders;
    private final FormFields formFields;

    /** An inbox where one person decides at most one approval of a run (see the other constructor). */
    public ApprovalInbox(ApprovalStore store, RunStore runs, ApprovalPolicy policy, ApprovalEngine engine,
                         List<ApprovalListener> listeners) {
        this(store, runs, policy, engine, listeners, true);
    }

    /**
     * @param separateDeciders whether one person may decide at most one approval task of a run, so
     *                         that a process asking two parties (the owners and the platform) gets
     *                         two people even when somebody belongs to both
     */
    public ApprovalInbox(ApprovalStore store, RunStore runs, ApprovalPolicy policy, ApprovalEngine engine,
                         List<ApprovalListener> listeners, boolean separateDeciders) {
        this(store, runs, policy, engine, listeners, separateDeciders, FormFields.UNKNOWN);
    }

    /**
     * @param formFields which variables each task's form fills: a decision may set only those
     */
    public ApprovalInbox(ApprovalStore store, RunStore runs, ApprovalPolicy policy, ApprovalEngine engine,
                         List<ApprovalListener> listeners, boolean separateDeciders, FormFields formFields) {
        this.formFields = formFields;
        this.store = store;
        this.runs = runs;
        this.policy = policy;
        this.engine = engine;
        this.listeners = List.copyOf(listeners);
        this.separateDeciders = separateDeciders;
    }

    public ApprovalStore store() {
        return store;
    }

    /**
     * A user-task job arrived (possibly again). Throws if the task could not be recorded: the job
     * must then come back. A redelivery of a recorded task that is still open finishes what a
     * failure after the insert left undone (the run waiting for approval).
     */
    public void received(NewApprovalTask task) {
        Optional<ApprovalTask> known = store.findByJob(task.runId(), task.jobKey());
        if (known.isPresent()) {
            // a redelivery: the host that recorded it may have died before it moved the run
            if (known.get().status() == ApprovalStatus.OPEN) {
                waiting(task);
            }
            return;
        }
        // the run says it waits before the task can be decided: recorded first, a decision taken at
        // once would find the run still running and then be overtaken by "waiting" (and its event)
        waiting(task);
        if (!store.record(task)) {
            return; // another instance recorded it in between, and told its listeners
        }
        ApprovalTask recorded = store.findByJob(task.runId(), task.jobKey()).orElseThrow();
        notify(listener -> listener.created(recorded));
        // a new task of the same run often means a timer moved the run on from an older one
        for (ApprovalTask other : store.openOfRun(task.runId())) {
            if (!other.id().equals(recorded.id())) {
                closeIfGone(other);
            }
        }
    }

    /** The run waits at the task's step; the step shows as waiting to clients that follow steps (Backstage's task page). */
    private void waiting(NewApprovalTask task) {
        runs.transition(task.runId(), RunStatus.WAITING_FOR_APPROVAL, "waiting for approval at " + task.stepId());
        runs.stepEvent(task.runId(), task.stepId(), "step-waiting", "info",
                "waiting for approval: " + task.name(), "approval-job-" + task.jobKey() + "-waiting");
    }

    /** Open tasks {@code caller} may decide. */
    public List<ApprovalTask> mine(EntityRef caller) {
        return store.open().stream().filter(task -> policy.refusal(task, caller).isEmpty()).toList();
    }

    /** Every open task; admins only. */
    public List<ApprovalTask> all(EntityRef caller) {
        if (!policy.isAdmin(caller)) {
            throw new NotAllowedException(caller.canonical() + " may not list every approval task (admin groups only)");
        }
        return store.open();
    }

    /** One task: for those who may decide it, its run's requester and admins. */
    public ApprovalTask get(UUID id, EntityRef caller) {
        ApprovalTask task = task(id);
        boolean mayDecide = policy.refusal(task, caller).isEmpty();
        if (!mayDecide && !caller.canonical().equals(task.requester()) && !policy.isAdmin(caller)) {
            throw new NotAllowedException(caller.canonical() + " may not see task " + id);
        }
        return task;
    }

    public ApprovalTask claim(UUID id, EntityRef caller) {
        ApprovalTask task = task(id);
        policy.refusal(task, caller).ifPresent(reason -> {
            throw new NotAllowedException(reason);
        });
        // who may not decide a task may not hold it either, keeping others from it
        requireSeparateDecider(task, caller);
        if (!store.claim(id, caller)) {
            ApprovalTask now = task(id);
            throw new ConflictException(now.status() != ApprovalStatus.OPEN
                    ? "task " + id + " is " + now.status().wireName()
                    : "task " + id + " is claimed by " + now.claimedBy().map(EntityRef::canonical).orElse("somebody else"));
        }
        return task(id);
    }

    /** Releases the caller's claim; admins may release anybody's. */
    public ApprovalTask unclaim(UUID id, EntityRef caller) {
        ApprovalTask task = task(id);
        EntityRef holder = task.claimedBy().orElseThrow(() -> new ConflictException("task " + id + " is not claimed"));
        if (!holder.equals(caller) && !policy.isAdmin(caller)) {
            throw new NotAllowedException("task " + id + " is claimed by " + holder.canonical() + "; only they or an admin may release it");
        }
        if (!store.unclaim(id, holder, caller.canonical())) {
            throw new ConflictException("task " + id + " is no longer claimed by " + holder.canonical());
        }
        return task(id);
    }

    /**
     * With separate deciders on, refuses a caller who decided another task of the same run, naming
     * it. (The store repeats the check under a lock per run, for two decisions sent at once.)
     */
    private void requireSeparateDecider(ApprovalTask task, EntityRef caller) {
        if (!separateDeciders) {
            return;
        }
        for (Decision earlier : store.decisionsOfRun(task.runId())) {
            if (!earlier.taskId().equals(task.id()) && earlier.approver().equals(caller.canonical())) {
                String step = store.find(earlier.taskId()).map(ApprovalTask::stepId).orElse("another step");
                throw new NotAllowedException("separate deciders: "
                        + caller.canonical() + " decided " + step + " of run " + task.runId()
                        + " already; another person decides " + task.stepId());
            }
        }
    }

    /**
     * Decides a task. Exactly one decision per task is ever recorded; a concurrent or later one gets
     * a conflict. The decision completes the job; if the engine is away, it stays recorded and
     * {@link #reconcile()} applies it.
     */
    public Decision decide(UUID id, EntityRef caller, boolean approved, String comment, JsonNode formVariables) {
        ApprovalTask task = task(id);
        policy.refusal(task, caller).ifPresent(reason -> {
            throw new NotAllowedException(reason);
        });
        if (task.status() != ApprovalStatus.OPEN) {
            throw new ConflictException("task " + id + " is already " + task.status().wireName());
        }
        requireSeparateDecider(task, caller);
        if (task.claimedBy().filter(holder -> !holder.equals(caller)).isPresent()) {
            throw new ConflictException("task " + id + " is claimed by " + task.claimedBy().get().canonical());
        }
        ObjectNode variables = formVariables(formVariables, task);
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw new InvalidInputException("comment is longer than " + MAX_COMMENT + " characters");
        }
        // Stored as text and shown in the audit: the catalog's one rule for text (PostgreSQL holds no U+0000).
        CatalogText.require("the comment", comment);
        if (closeIfGone(task)) {
            throw new ConflictException("task " + id
                    + " is no longer waiting in the engine (escalated or cancelled); it was closed");
        }
        Decision decision = store.decide(id, approved, comment, caller, variables, separateDeciders).orElseThrow(() ->
                new ConflictException("task " + id + " was decided or closed meanwhile"));
        apply(decision, task.runId());
        ApprovalTask decided = task(id);
        notify(listener -> listener.decided(decided, decision));
        return store.decision(id).orElse(decision);
    }

    /**
     * Applies decisions Zeebe has not accepted yet, and closes open tasks whose job is gone; run at
     * start-up and now and then. Returns how many things it fixed.
     */
    public int reconcile() {
        int fixed = 0;
        for (Decision decision : store.unapplied()) {
            UUID runId = store.find(decision.taskId()).map(ApprovalTask::runId).orElseThrow();
            try {
                apply(decision, runId);
                fixed++;
            } catch (UnavailableException e) {
                LOG.warn("decision on task {} still not applied: {}", decision.taskId(), e.getMessage());
            }
        }
        for (ApprovalTask task : store.open()) {
            if (closeIfGone(task)) {
                fixed++;
            }
        }
        return fixed;
    }

    /** Closes the open tasks of a cancelled run. */
    public void runCancelled(UUID runId) {
        for (ApprovalTask task : store.openOfRun(runId)) {
            store.close(task.id(), ApprovalStatus.CANCELLED, "portal");
        }
    }

    private void apply(Decision decision, UUID runId) {
        Map<String, Object> variables = new LinkedHashMap<>(JSON.convertValue(decision.variables(), Map.class));
        variables.put("approved", decision.approved());
        variables.put("approvalComment", decision.comment().orElse(""));
        variables.put("approver", decision.approver());
        variables.put("decidedAt", decision.decidedAt().toString());
        // the decision's event before Zeebe hears of it: the next step's events follow it in the log
        store.find(decision.taskId()).ifPresent(task -> runs.stepEvent(runId, task.stepId(),
                decision.approved() ? "step-completed" : "step-failed", decision.approved() ? "info" : "warn",
                task.name() + (decision.approved() ? " approved by " : " rejected by ") + decision.approver(),
                "approval-" + decision.taskId() + "-decided"));
        if (store.openOfRun(runId).isEmpty()) {
            runs.transitionFrom(runId, RunStatus.WAITING_FOR_APPROVAL, RunStatus.RUNNING,
                    (decision.approved() ? "approved by " : "rejected by ") + decision.approver());
        }
        if (store.find(decision.taskId()).filter(store::jobKeyReusedAfter).isPresent()) {
            // its engine is gone and the key names another run's job now: nothing left to complete
            LOG.warn("decision on task {} not applied: job {} belongs to another run's task now", decision.taskId(), decision.jobKey());
            store.applied(decision.taskId());
            return;
        }
        try {
            engine.complete(decision.jobKey(), variables);
        } catch (ApprovalEngine.JobGoneException e) {
            // completed by an earlier attempt whose acknowledgement was lost, or interrupted meanwhile:
            // either way there is nothing left to complete
            LOG.info("job of task {} is gone; its decision stays recorded", decision.taskId());
        } catch (RuntimeException e) {
            throw new UnavailableException("decision on task " + decision.taskId()
                    + " is recorded but the engine did not take it yet (" + e.getMessage() + "); it will be applied");
        }
        store.applied(decision.taskId());
    }

    private boolean closeIfGone(ApprovalTask task) {
        if (store.jobKeyReusedAfter(task)) {
            // the engine gives this key to another run's task now: asking it about the key (or
            // completing it) would reach that task, not this one
            String why = "the engine that held job " + task.jobKey() + " is gone: another run's task has that key now";
            if (store.close(task.id(), ApprovalStatus.CANCELLED, "portal", why)) {
                LOG.warn("approval task {} of run {} closed: {}", task.id(), task.runId(), why);
            }
            return true;
        }
        boolean exists;
        try {
            exists = engine.exists(task.jobKey());
        } catch (RuntimeException e) {
            LOG.debug("cannot check job of task {}: {}", task.jobKey(), e.getMessage());
            return false;
        }
        if (exists) {
            return false;
        }
        boolean cancelled = runs.find(task.runId()).map(Run::status).filter(status -> status == RunStatus.CANCELLED).isPresent();
        ApprovalStatus status = cancelled ? ApprovalStatus.CANCELLED : ApprovalStatus.ESCALATED;
        if (store.close(task.id(), status, "portal") && status == ApprovalStatus.ESCALATED) {
            if (store.openOfRun(task.runId()).isEmpty()) {
                runs.transitionFrom(task.runId(), RunStatus.WAITING_FOR_APPROVAL, RunStatus.RUNNING,
                        task.stepId() + " escalated: nobody decided it in time");
            }
            ApprovalTask escalated = task(task.id());
            notify(listener -> listener.escalated(escalated));
        }
        return true;
    }

    private ApprovalTask task(UUID id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("no approval task " + id));
    }

    /**
     * The approver's form fields, as new process variables: only fields of the task's form (when
     * {@link FormFields} knows it; a later step reads a variable in place of what its template
     * fixed), never the decision's own, never the run's, never one the process already had when the
     * task was created (a step further on could act on it: the entity to decommission, say), and no
     * name in the portal's {@code portal*} space.
     */
    private ObjectNode formVariables(JsonNode variables, ApprovalTask task) {
        if (variables == null || variables.isNull() || variables.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!variables.isObject()) {
            throw new InvalidInputException("variables must be a JSON object");
        }
        for (String reserved : DECISION_VARIABLES) {
            if (variables.has(reserved)) {
                throw new InvalidInputException("variables may not set '" + reserved + "': the decision sets it");
            }
        }
        for (String reserved : RUN_VARIABLES) {
            if (variables.has(reserved)) {
                throw new InvalidInputException("variables may not set '" + reserved + "': it belongs to the run, not to the approval");
            }
        }
        Optional<Set<String>> fields = formFields.of(task);
        for (String name : (Iterable<String>) variables::fieldNames) {
            if (fields.isPresent() && !fields.get().contains(name)) {
                throw new InvalidInputException("variables may not set '" + name + "': "
                        + (fields.get().isEmpty() ? "the task links no form" : "the task's form has no such field (it has "
                        + String.join(", ", new TreeSet<>(fields.get())) + ")"));
            }
            if (task.variables().has(name)) {
                throw new InvalidInputException("variables may not set '" + name + "': the process has that variable"
                        + " already, and a decision adds only the form's own fields");
            }
            if (name.startsWith("portal")) {
                throw new InvalidInputException("variables may not set '" + name + "': names starting with 'portal'"
                        + " belong to the portal");
            }
        }
        return ((ObjectNode) variables).deepCopy();
    }

    private void notify(Consumer<ApprovalListener> call) {
        for (ApprovalListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("approval listener {} failed", listener.getClass().getName(), e);
            }
        }
    }
}
