package dev.portal.ui.approvals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStatus;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.AuditEntry;
import dev.portal.approval.Decision;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.ui.Link;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShell;
import dev.portal.ui.UiShells;
import dev.portal.ui.catalog.CatalogViews;
import dev.portal.ui.runs.RunPage;
import dev.portal.ui.runs.RunView;
import dev.portal.ui.runs.RunViews;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.AuthorizedScaffolder;
import dev.portal.web.PortalCaller;
import dev.portal.web.ScaffolderPermissionPolicy;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Approvals: the inbox (open tasks the caller may decide; every open task for admins) and a task's
 * page with the request, the run on its diagram, the task's Camunda form, the decision and the
 * audit. Claims and decisions go to the {@link ApprovalInbox}, which checks every rule (assignee,
 * candidates, four-eyes, separate deciders) whatever the page offered; the page offers the buttons
 * only to who may press them, asking the inbox's {@link ApprovalPolicy}.
 */
@Controller
public class InboxController {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApprovalInbox inbox;
    private final ApprovalPolicy policy;
    private final boolean separateDeciders;
    private final AuthorizedScaffolder scaffolder;
    private final AuthorizedCatalog catalog;
    private final ScaffolderPermissionPolicy scaffolderPolicy;
    private final ObjectProvider<ProcessDeployer> forms;
    private final UiShells shells;
    private final UiPages pages;

    /**
     * @param separateDeciders whether one person decides at most one approval of a run (the inbox's
     *     own setting), so that the page does not offer a decision the inbox would refuse
     */
    public InboxController(ApprovalInbox inbox, ApprovalPolicy policy, boolean separateDeciders,
                           AuthorizedScaffolder scaffolder, AuthorizedCatalog catalog,
                           ScaffolderPermissionPolicy scaffolderPolicy, ObjectProvider<ProcessDeployer> forms,
                           UiShells shells, UiPages pages) {
        this.inbox = inbox;
        this.policy = policy;
        this.separateDeciders = separateDeciders;
        this.scaffolder = scaffolder;
        this.catalog = catalog;
        this.scaffolderPolicy = scaffolderPolicy;
        this.forms = forms;
        this.shells = shells;
        this.pages = pages;
    }

    @GetMapping("${portal.ui.path:/portal}/approvals")
    ResponseEntity<String> inbox(@RequestParam(defaultValue = "mine") String scope, HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Approvals", "approvals");
        EntityRef caller = caller();
        boolean admin = policy.isAdmin(caller);
        boolean all = "all".equals(scope);
        List<ApprovalTask> tasks = all ? inbox.all(caller) : inbox.mine(caller);
        RunViews views = views(shell);
        Map<UUID, List<ApprovalTask>> byRun = new HashMap<>();
        List<InboxPage.Row> rows = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now();
        for (ApprovalTask task : tasks) {
            List<ApprovalTask> ofRun = byRun.computeIfAbsent(task.runId(), id -> inbox.store().ofRun(id));
            String escalatedFrom = ofRun.stream().filter(other -> other.status() == ApprovalStatus.ESCALATED
                            && other.createdAt().isBefore(task.createdAt()))
                    .map(ApprovalTask::name).reduce((first, second) -> second).orElse(null);
            rows.add(new InboxPage.Row(shell.paths().approval(TaskIds.of(task)), task.name(),
                    shell.paths().run(task.runId()),
                    views.templateTitle(EntityRef.parse(task.templateRef(), "template", EntityRef.DEFAULT_NAMESPACE)),
                    views.person(task.requester()), task.stepId(), RunViews.when(task.createdAt()),
                    task.dueDate().map(RunViews::when).orElse(null), task.dueDate().filter(now::isAfter).isPresent(),
                    escalatedFrom, task.claimedBy().map(CatalogViews::shortRef).orElse(null),
                    !all || policy.refusal(task, caller).isEmpty()));
        }
        List<Link> scopes = new ArrayList<>();
        scopes.add(new Link(shell.paths().approvals(), "Waiting for me"));
        if (admin) {
            scopes.add(new Link(shell.paths().approvals() + "?scope=all", "All open tasks"));
        }
        return pages.ok("approvals/inbox.jte", new InboxPage(shell, all, scopes, rows));
    }

    @GetMapping("${portal.ui.path:/portal}/approvals/{id}")
    ResponseEntity<String> task(@PathVariable String id, HttpServletRequest request) {
        EntityRef caller = caller();
        ApprovalTask task = inbox.get(TaskIds.parse(id), caller);
        UiShell shell = shells.shell(request, task.name(), "approvals");
        RunViews views = views(shell);
        Run run = scaffolder.run(task.runId());
        PortalCaller portalCaller = shells.caller();
        RunView runView = views.run(run, portalCaller);

        boolean open = task.status() == ApprovalStatus.OPEN;
        Optional<String> refusal = policy.refusal(task, caller);
        if (refusal.isEmpty() && open && separateDeciders) {
            refusal = inbox.store().decisionsOfRun(task.runId()).stream()
                    .filter(decision -> !decision.taskId().equals(task.id()) && decision.approver().equals(caller.canonical()))
                    .findFirst().map(decision -> "You decided another approval of this run already; somebody else decides this one.");
        }
        boolean claimedByOther = task.claimedBy().filter(holder -> !holder.equals(caller)).isPresent();
        boolean mayDecide = open && refusal.isEmpty() && !claimedByOther;
        String base = shell.paths().approval(TaskIds.of(task));

        String formSchema = null;
        String formProblem = null;
        if (task.formKey().isPresent()) {
            Optional<ProcessDeployer.FormContent> form = formContent(task.formKey().get());
            if (form.isPresent()) {
                formSchema = form.get().json();
            } else {
                formProblem = "The task links the form " + task.formKey().get() + ", which this application did not deploy.";
            }
        }
        Optional<Decision> decision = inbox.store().decision(task.id());
        List<TaskPage.AuditLine> audit = new ArrayList<>();
        Map<UUID, String> steps = new HashMap<>();
        inbox.store().ofRun(task.runId()).forEach(other -> steps.put(other.id(), other.stepId()));
        for (AuditEntry entry : inbox.store().audit(task.runId())) {
            audit.add(new TaskPage.AuditLine(RunViews.when(entry.at()), steps.getOrDefault(entry.taskId(), ""),
                    entry.action(), entry.actor().startsWith("user:") ? views.person(entry.actor()) : new Link(null, entry.actor()),
                    entry.comment().orElse(null)));
        }
        List<Link> others = inbox.store().ofRun(task.runId()).stream().filter(other -> !other.id().equals(task.id()))
                .map(other -> new Link(shell.paths().approval(TaskIds.of(other)), other.name() + " (" + other.status().wireName() + ")"))
                .toList();
        List<String> deciders = new ArrayList<>();
        task.assignee().ifPresent(assignee -> deciders.add("assignee " + CatalogViews.shortRef(assignee)));
        task.candidateUsers().forEach(user -> deciders.add(CatalogViews.shortRef(user)));
        task.candidateGroups().forEach(group -> deciders.add("members of " + CatalogViews.shortRef(group)));
        if (deciders.isEmpty()) {
            deciders.add("the admins");
        }
        String reason = open ? refusal.map(InboxController::explain).orElse(claimedByOther
                ? "It is claimed by " + task.claimedBy().map(CatalogViews::shortRef).orElse("somebody") + "." : null) : null;
        return pages.ok("approvals/task.jte", new TaskPage(shell.page(task.name(), "approvals"), TaskIds.of(task),
                task.name(), task.status().wireName(), task.stepId(), runView,
                scaffolder.processXml(run.id()).isPresent() ? shell.paths().run(run.id()) + "/diagram.bpmn" : null,
                views.values(run.values()), RunViews.when(task.createdAt()), task.dueDate().map(RunViews::when).orElse(null),
                task.dueDate().filter(OffsetDateTime.now()::isAfter).isPresent(), deciders,
                task.claimedBy().map(CatalogViews::shortRef).orElse(null), formSchema, task.variables().toString(), formProblem,
                mayDecide ? base + "/decide" : null, reason,
                mayDecide && task.claimedBy().isEmpty() ? base + "/claim" : null,
                open && task.claimedBy().filter(holder -> holder.equals(caller) || policy.isAdmin(caller)).isPresent()
                        ? base + "/unclaim" : null,
                decision.map(made -> new TaskPage.DecisionView(made.approved(), views.person(made.approver()),
                        made.comment().orElse(null), RunViews.when(made.decidedAt()), views.values(made.variables()))).orElse(null),
                audit, others));
    }

    /** The policy's reason, said to the person reading the page. */
    private static String explain(String reason) {
        if (reason.startsWith("four-eyes")) {
            return "You requested this run, so somebody else decides its approvals (four-eyes).";
        }
        if (reason.contains("is not the assignee")) {
            return "Only the people the process named may decide it.";
        }
        return reason;
    }

    @PostMapping("${portal.ui.path:/portal}/approvals/{id}/claim")
    ResponseEntity<String> claim(@PathVariable String id, HttpServletRequest request) {
        ApprovalTask task = inbox.claim(TaskIds.parse(id), caller());
        return pages.seeOther(request, shells.paths(request).approval(TaskIds.of(task)));
    }

    @PostMapping("${portal.ui.path:/portal}/approvals/{id}/unclaim")
    ResponseEntity<String> unclaim(@PathVariable String id, HttpServletRequest request) {
        ApprovalTask task = inbox.unclaim(TaskIds.parse(id), caller());
        return pages.seeOther(request, shells.paths(request).approval(TaskIds.of(task)));
    }

    /**
     * Approve or Reject, with the comment and the Camunda form's fields (JSON, which portal.js
     * collects from the form); the inbox decides whether the caller may.
     */
    @PostMapping("${portal.ui.path:/portal}/approvals/{id}/decide")
    ResponseEntity<String> decide(@PathVariable String id, @RequestParam(defaultValue = "") String decision,
                                  @RequestParam(defaultValue = "") String comment,
                                  @RequestParam(defaultValue = "") String variables, HttpServletRequest request) {
        boolean approved = switch (decision) {
            case "approve" -> true;
            case "reject" -> false;
            default -> throw new InvalidInputException("Choose Approve or Reject.");
        };
        JsonNode formVariables = null;
        if (!variables.isBlank()) {
            try {
                formVariables = JSON.readTree(variables);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException("The form's fields could not be read: " + e.getOriginalMessage());
            }
        }
        UUID taskId = TaskIds.parse(id);
        inbox.decide(taskId, caller(), approved, comment.isBlank() ? null : comment.strip(), formVariables);
        return pages.seeOther(request, shells.paths(request).approval(id));
    }

    private Optional<ProcessDeployer.FormContent> formContent(String formKey) {
        ProcessDeployer deployer = forms.getIfAvailable();
        if (deployer == null) {
            return Optional.empty();
        }
        try {
            return deployer.form(Long.parseLong(formKey));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private RunViews views(UiShell shell) {
        return new RunViews(shell.paths(), catalog, scaffolderPolicy, inbox.store());
    }

    private EntityRef caller() {
        PortalCaller caller = shells.caller();
        if (!caller.isAuthenticated()) {
            throw new AuthenticationRequiredException("authentication is required for the approval inbox");
        }
        return caller.userRef();
    }
}
