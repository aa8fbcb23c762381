package dev.portal.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.AuditEntry;
import dev.portal.approval.Decision;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.NotFoundException;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.web.api.ApprovalsApi;
import dev.portal.web.model.ApprovalAudit;
import dev.portal.web.model.ApprovalAuditEntry;
import dev.portal.web.model.ApprovalDecision;
import dev.portal.web.model.ApprovalTask;
import dev.portal.web.model.ApprovalTaskForm;
import dev.portal.web.model.ApprovalTaskList;
import dev.portal.web.model.DecisionRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongFunction;

/**
 * The approval inbox API under {@code /api/approvals} (interfaces generated from
 * {@code openapi/portal-api.yaml}). Every call needs an authenticated caller; who may see, claim or
 * decide what is the {@link ApprovalInbox}'s policy. Errors are {@link CatalogErrorAdvice}'s.
 */
@RestController
@RequestMapping(ApprovalsController.BASE_PATH)
public class ApprovalsController implements ApprovalsApi {

    public static final String BASE_PATH = "/api/approvals";

    private static final ObjectMapper FORM_JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> FORM_TYPE = new TypeReference<>() {
    };

    private final ApprovalInbox inbox;
    private final PortalIdentityResolver identity;
    private final AuthorizedScaffolder scaffolder;
    private final LongFunction<Optional<ProcessDeployer.FormContent>> forms;

    /**
     * @param scaffolder the run lookups, through the Scaffolder's permission policy
     * @param forms      the deployed forms by key, for tasks that link one
     */
    public ApprovalsController(ApprovalInbox inbox, PortalIdentityResolver identity, AuthorizedScaffolder scaffolder,
                               LongFunction<Optional<ProcessDeployer.FormContent>> forms) {
        this.inbox = inbox;
        this.identity = identity;
        this.scaffolder = scaffolder;
        this.forms = forms;
    }

    @Override
    public ResponseEntity<ApprovalTaskList> listMyApprovalTasks() {
        return ResponseEntity.ok(new ApprovalTaskList(inbox.mine(caller()).stream().map(ApprovalsController::task).toList()));
    }

    @Override
    public ResponseEntity<ApprovalTaskList> listAllApprovalTasks() {
        return ResponseEntity.ok(new ApprovalTaskList(inbox.all(caller()).stream().map(ApprovalsController::task).toList()));
    }

    @Override
    public ResponseEntity<ApprovalTask> getApprovalTask(String approvalTaskId) {
        EntityRef caller = caller();
        return ResponseEntity.ok(task(inbox.get(id(approvalTaskId), caller)));
    }

    @Override
    public ResponseEntity<ApprovalTaskForm> getApprovalTaskForm(String approvalTaskId) {
        dev.portal.approval.ApprovalTask task = inbox.get(id(approvalTaskId), caller());
        String formKey = task.formKey().orElseThrow(() -> new NotFoundException("approval task " + approvalTaskId + " links no form"));
        ProcessDeployer.FormContent form;
        try {
            form = forms.apply(Long.parseLong(formKey)).orElseThrow(() -> new NotFoundException("approval task " + approvalTaskId + " links the form " + formKey
                    + ", which this portal did not deploy (deploy forms with portal.workflows.processes)"));
        } catch (NumberFormatException e) {
            throw new NotFoundException("approval task " + approvalTaskId
                    + " has the custom form key '" + formKey + "', which is not a deployed Camunda form");
        }
        try {
            return ResponseEntity.ok(new ApprovalTaskForm(Long.toString(form.form().formKey()), form.form().formId(),
                    form.form().version(), FORM_JSON.readValue(form.json(), FORM_TYPE)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the deployed form " + form.form().formId() + " is no longer readable JSON", e);
        }
    }

    @Override
    public ResponseEntity<ApprovalTask> claimApprovalTask(String approvalTaskId) {
        EntityRef caller = caller();
        return ResponseEntity.ok(task(inbox.claim(id(approvalTaskId), caller)));
    }

    @Override
    public ResponseEntity<ApprovalTask> unclaimApprovalTask(String approvalTaskId) {
        EntityRef caller = caller();
        return ResponseEntity.ok(task(inbox.unclaim(id(approvalTaskId), caller)));
    }

    @Override
    public ResponseEntity<ApprovalDecision> approveApprovalTask(String approvalTaskId, DecisionRequest request) {
        return decide(approvalTaskId, true, request);
    }

    @Override
    public ResponseEntity<ApprovalDecision> rejectApprovalTask(String approvalTaskId, DecisionRequest request) {
        return decide(approvalTaskId, false, request);
    }

    @Override
    public ResponseEntity<ApprovalAudit> getApprovalAudit(UUID taskId) {
        caller();
        scaffolder.run(taskId);
        List<ApprovalAuditEntry> entries = inbox.store().audit(taskId).stream().map(ApprovalsController::entry).toList();
        List<ApprovalDecision> decisions = inbox.store().decisionsOfRun(taskId).stream().map(ApprovalsController::decision).toList();
        return ResponseEntity.ok(new ApprovalAudit(entries, decisions));
    }

    private ResponseEntity<ApprovalDecision> decide(String approvalTaskId, boolean approved, DecisionRequest request) {
        EntityRef caller = caller();
        UUID id = id(approvalTaskId);
        Decision decision = inbox.decide(id, caller, approved, request == null ? null : request.getComment(),
                request == null ? null : request.getVariables());
        return ResponseEntity.ok(decision(decision));
    }

    private EntityRef caller() {
        PortalCaller caller = identity.currentCaller();
        if (!caller.isAuthenticated()) {
            throw new AuthenticationRequiredException("authentication is required for the approval inbox");
        }
        return caller.userRef();
    }

    private static UUID id(String approvalTaskId) {
        try {
            return UUID.fromString(approvalTaskId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("no approval task " + approvalTaskId);
        }
    }

    static ApprovalTask task(dev.portal.approval.ApprovalTask task) {
        ApprovalTask wire = new ApprovalTask(task.id().toString(), Long.toString(task.jobKey()), task.runId(), task.requester(), task.templateRef(),
                task.stepId(), task.name(), task.candidateUsers().stream().map(EntityRef::canonical).toList(),
                task.candidateGroups().stream().map(EntityRef::canonical).toList(), task.fourEyes(),
                ApprovalTask.StatusEnum.fromValue(task.status().wireName()), task.createdAt(), task.variables());
        task.formKey().ifPresent(wire::formKey);
        task.assignee().ifPresent(assignee -> wire.assignee(assignee.canonical()));
        task.dueDate().ifPresent(wire::dueDate);
        task.claimedBy().ifPresent(holder -> wire.claimedBy(holder.canonical()));
        task.closedAt().ifPresent(wire::closedAt);
        return wire;
    }

    static ApprovalDecision decision(Decision decision) {
        ApprovalDecision wire = new ApprovalDecision(decision.taskId().toString(), decision.approved(), decision.approver(),
                decision.decidedAt(), decision.appliedAt().isPresent());
        decision.comment().ifPresent(wire::comment);
        return wire;
    }

    private static ApprovalAuditEntry entry(AuditEntry entry) {
        ApprovalAuditEntry wire = new ApprovalAuditEntry(entry.taskId().toString(),
                ApprovalAuditEntry.ActionEnum.fromValue(entry.action()), entry.actor(), entry.at());
        entry.comment().ifPresent(wire::comment);
        return wire;
    }
}
