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
        if (!store.record(task)) {
            if (store.find(task.jobKey()).filter(recorded -> recorded.status() == ApprovalStatus.OPEN).isPresent()) {
                runs.transition(task.runId(), RunStatus.WAITING_FOR_APPROVAL, "waiting for approval at " + task.stepId());
            }
            return;
        }
        runs.transition(task.runId(), RunStatus.WAITING_FOR_APPROVAL, "waiting for approval at " + task.stepId());
        ApprovalTask recorded = store.find(task.jobKey()).orElseThrow();
        // the user task as a step that waits, for clients that follow steps (Backstage's task page)
        runs.stepEvent(task.runId(), task.stepId(), "step-waiting", "info",
                "waiting for approval: " + recorded.name(), "approval-" + task.jobKey() + "-waiting");
        notify(listener -> listener.created(recorded));
        // a new task of the same run often means a timer moved the run on from an older one
        for (ApprovalTask other : store.openOfRun(task.runId())) {
            if (other.jobKey() != task.jobKey()) {
                closeIfGone(other);
            }
        }
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
    public ApprovalTask get(long jobKey, EntityRef caller) {
        ApprovalTask task = task(jobKey);
        boolean mayDecide = policy.refusal(task, caller).isEmpty();
        if (!mayDecide && !caller.canonical().equals(task.requester()) && !policy.isAdmin(caller)) {
            throw new NotAllowedException(caller.canonical() + " may not see task " + jobKey);
        }
        return task;
    }

    public ApprovalTask claim(long jobKey, EntityRef caller) {
        ApprovalTask task = task(jobKey);
        policy.refusal(task, caller).ifPresent(reason -> {
            throw new NotAllowedException(reason);
        });
        if (!store.claim(jobKey, caller)) {
            ApprovalTask now = task(jobKey);
            throw new ConflictException(now.status() != ApprovalStatus.OPEN
                    ? "task " + jobKey + " is " + now.status().wireName()
                    : "task " + jobKey + " is claimed by " + now.claimedBy().map(EntityRef::canonical).orElse("somebody else"));
        }
        return task(jobKey);
    }

    /** Releases the caller's claim; admins may release anybody's. */
    public ApprovalTask unclaim(long jobKey, EntityRef caller) {
        ApprovalTask task = task(jobKey);
        EntityRef holder = task.claimedBy().orElseThrow(() -> new ConflictException("task " + jobKey + " is not claimed"));
        if (!holder.equals(caller) && !policy.isAdmin(caller)) {
            throw new NotAllowedException("task " + jobKey + " is claimed by " + holder.canonical() + "; only they or an admin may release it");
        }
        if (!store.unclaim(jobKey, holder, caller.canonical())) {
            throw new ConflictException("task " + jobKey + " is no longer claimed by " + holder.canonical());
        }
        return task(jobKey);
    }

    /**
     * Decides a task. Exactly one decision per task is ever recorded; a concurrent or later one gets
     * a conflict. The decision completes the job; if the engine is away, it stays recorded and
     * {@link #reconcile()} applies it.
     */
    public Decision decide(long jobKey, EntityRef caller, boolean approved, String comment, JsonNode formVariables) {
        ApprovalTask task = task(jobKey);
        policy.refusal(task, caller).ifPresent(reason -> {
            throw new NotAllowedException(reason);
        });
        if (task.status() != ApprovalStatus.OPEN) {
            throw new ConflictException("task " + jobKey + " is already " + task.status().wireName());
        }
        if (separateDeciders) {
            for (Decision earlier : store.decisionsOfRun(task.runId())) {
                if (earlier.jobKey() != jobKey && earlier.approver().equals(caller.canonical())) {
                    String step = store.find(earlier.jobKey()).map(ApprovalTask::stepId).orElse("another step");
                    throw new NotAllowedException("separate deciders: "
                            + caller.canonical() + " decided " + step + " of run " + task.runId()
                            + " already; another person decides " + task.stepId());
                }
            }
        }
        if (task.claimedBy().filter(holder -> !holder.equals(caller)).isPresent()) {
            throw new ConflictException("task " + jobKey + " is claimed by " + task.claimedBy().get().canonical());
        }
        ObjectNode variables = formVariables(formVariables, task);
        if (comment != null && comment.length() > MAX_COMMENT) {
            throw new InvalidInputException("comment is longer than " + MAX_COMMENT + " characters");
        }
        // Stored as text and shown in the audit: the catalog's one rule for text (PostgreSQL holds no U+0000).
        CatalogText.require("the comment", comment);
        if (closeIfGone(task)) {
            throw new ConflictException("task " + jobKey
                    + " is no longer waiting in the engine (escalated or cancelled); it was closed");
        }
        Decision decision = store.decide(jobKey, approved, comment, caller, variables).orElseThrow(() ->
                new ConflictException("task " + jobKey + " was decided or closed meanwhile"));
        apply(decision, task.runId());
        ApprovalTask decided = task(jobKey);
        notify(listener -> listener.decided(decided, decision));
        return store.decision(jobKey).orElse(decision);
    }

    /**
     * Applies decisions Zeebe has not accepted yet, and closes open tasks whose job is gone; run at
     * start-up and now and then. Returns how many things it fixed.
     */
    public int reconcile() {
        int fixed = 0;
        for (Decision decision : store.unapplied()) {
            UUID runId = store.find(decision.jobKey()).map(ApprovalTask::runId).orElseThrow();
            try {
                apply(decision, runId);
                fixed++;
            } catch (UnavailableException e) {
                LOG.warn("decision on task {} still not applied: {}", decision.jobKey(), e.getMessage());
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
            store.close(task.jobKey(), ApprovalStatus.CANCELLED, "portal");
        }
    }

    private void apply(Decision decision, UUID runId) {
        Map<String, Object> variables = new LinkedHashMap<>(JSON.convertValue(decision.variables(), Map.class));
        variables.put("approved", decision.approved());
        variables.put("approvalComment", decision.comment().orElse(""));
        variables.put("approver", decision.approver());
        variables.put("decidedAt", decision.decidedAt().toString());
        // the decision's event before Zeebe hears of it: the next step's events follow it in the log
        store.find(decision.jobKey()).ifPresent(task -> runs.stepEvent(runId, task.stepId(),
                decision.approved() ? "step-completed" : "step-failed", decision.approved() ? "info" : "warn",
                task.name() + (decision.approved() ? " approved by " : " rejected by ") + decision.approver(),
                "approval-" + decision.jobKey() + "-decided"));
        if (store.openOfRun(runId).isEmpty()) {
            runs.transitionFrom(runId, RunStatus.WAITING_FOR_APPROVAL, RunStatus.RUNNING,
                    (decision.approved() ? "approved by " : "rejected by ") + decision.approver());
        }
        try {
            engine.complete(decision.jobKey(), variables);
        } catch (ApprovalEngine.JobGoneException e) {
            // completed by an earlier attempt whose acknowledgement was lost, or interrupted meanwhile:
            // either way there is nothing left to complete
            LOG.info("job of task {} is gone; its decision stays recorded", decision.jobKey());
        } catch (RuntimeException e) {
            throw new UnavailableException("decision on task " + decision.jobKey()
                    + " is recorded but the engine did not take it yet (" + e.getMessage() + "); it will be applied");
        }
        store.applied(decision.jobKey());
    }

    private boolean closeIfGone(ApprovalTask task) {
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
        if (store.close(task.jobKey(), status, "portal") && status == ApprovalStatus.ESCALATED) {
            if (store.openOfRun(task.runId()).isEmpty()) {
                runs.transitionFrom(task.runId(), RunStatus.WAITING_FOR_APPROVAL, RunStatus.RUNNING,
                        task.stepId() + " escalated: nobody decided it in time");
            }
            ApprovalTask escalated = task(task.jobKey());
            notify(listener -> listener.escalated(escalated));
        }
        return true;
    }

    private ApprovalTask task(long jobKey) {
        return store.find(jobKey).orElseThrow(() -> new NotFoundException("no approval task " + jobKey));
    }

    /**
     * The approver's form fields, as new process variables: never the decision's own, never the
     * run's, never one the process already had when the task was created (a step further on could
     * act on it: the entity to decommission, say), and no name in the portal's {@code portal*} space.
     */
    private static ObjectNode formVariables(JsonNode variables, ApprovalTask task) {
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
        for (String name : (Iterable<String>) variables::fieldNames) {
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
