package dev.portal.ui.runs;

import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.NotAllowedException;
import dev.portal.error.NotFoundException;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShell;
import dev.portal.ui.UiShells;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.AuthorizedScaffolder;
import dev.portal.web.PortalCaller;
import dev.portal.web.ScaffolderEventStreams;
import dev.portal.web.ScaffolderPermissionPolicy;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs: the list (the caller's own, every run for admins, by status), a run's page (summary, the
 * process diagram with its steps marked, values, the live log), the run's event stream for the
 * page, its BPMN XML for the diagram, and the cancel and retry buttons. Through
 * {@link AuthorizedScaffolder}, as the REST API.
 */
@Controller
public class RunsController {

    static final int PAGE_SIZE = 50;
    static final int MAX_EVENTS_ON_PAGE = 2000;

    private final AuthorizedScaffolder scaffolder;
    private final AuthorizedCatalog catalog;
    private final ScaffolderPermissionPolicy policy;
    private final ScaffolderEventStreams streams;
    private final ObjectProvider<ApprovalStore> approvals;
    private final ObjectProvider<ApprovalPolicy> approvalPolicy;
    private final UiShells shells;
    private final UiPages pages;

    public RunsController(AuthorizedScaffolder scaffolder, AuthorizedCatalog catalog, ScaffolderPermissionPolicy policy,
                          ScaffolderEventStreams streams, ObjectProvider<ApprovalStore> approvals,
                          ObjectProvider<ApprovalPolicy> approvalPolicy, UiShells shells, UiPages pages) {
        this.scaffolder = scaffolder;
        this.catalog = catalog;
        this.policy = policy;
        this.streams = streams;
        this.approvals = approvals;
        this.approvalPolicy = approvalPolicy;
        this.shells = shells;
        this.pages = pages;
    }

    @GetMapping("${portal.ui.path:/portal}/runs")
    ResponseEntity<String> list(@RequestParam(defaultValue = "mine") String scope,
                                @RequestParam(name = "status", required = false) List<String> status,
                                @RequestParam(defaultValue = "0") int offset, HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Runs", "runs");
        PortalCaller caller = shells.caller();
        if (!caller.isAuthenticated()) {
            throw new AuthenticationRequiredException("authentication is required to see runs");
        }
        boolean admin = isAdmin(caller.userRef());
        boolean all = "all".equals(scope);
        if (all && !admin) {
            throw new NotAllowedException("Only Scaffolder admins see every run; here are yours at " + shell.paths().runs() + ".");
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String value : status == null ? List.<String>of() : status) {
            try {
                statuses.add(RunStatus.fromWireName(value));
            } catch (IllegalArgumentException e) {
                // an unknown status filters nothing out
            }
        }
        int from = Math.max(0, offset);
        List<Run> runs = scaffolder.runs(statuses, all ? Optional.empty() : Optional.of(caller.userRef().canonical()),
                PAGE_SIZE + 1, from);
        RunViews views = views(shell);
        List<RunListPage.Row> rows = runs.stream().limit(PAGE_SIZE).map(run -> new RunListPage.Row(
                shell.paths().run(run.id()),
                views.templateTitle(EntityRef.parse(run.templateRef(), "template", EntityRef.DEFAULT_NAMESPACE)),
                run.status().wireName(), RunViews.label(run.status()), views.person(run.requester()),
                RunViews.when(run.createdAt()), summary(run))).toList();
        List<RunListPage.Toggle> scopes = new ArrayList<>();
        scopes.add(new RunListPage.Toggle("My runs", href(shell, "mine", statuses, 0), !all, null));
        if (admin) {
            scopes.add(new RunListPage.Toggle("All runs", href(shell, "all", statuses, 0), all, null));
        }
        List<RunListPage.Toggle> toggles = new ArrayList<>();
        for (RunStatus value : RunStatus.values()) {
            Set<RunStatus> toggled = EnumSet.noneOf(RunStatus.class);
            toggled.addAll(statuses);
            if (!toggled.remove(value)) {
                toggled.add(value);
            }
            toggles.add(new RunListPage.Toggle(RunViews.label(value), href(shell, all ? "all" : "mine", toggled, 0),
                    statuses.contains(value), "status-" + value.wireName()));
        }
        return pages.ok("runs/list.jte", new RunListPage(shell, all, scopes, toggles,
                statuses.isEmpty() ? null : href(shell, all ? "all" : "mine", Set.of(), 0), rows,
                runs.size() > PAGE_SIZE ? href(shell, all ? "all" : "mine", statuses, from + PAGE_SIZE) : null));
    }

    private static String summary(Run run) {
        return run.values().path("name").isTextual() ? run.values().get("name").asText()
                : run.values().path("component").isTextual() ? run.values().get("component").asText() : null;
    }

    private static String href(UiShell shell, String scope, Set<RunStatus> statuses, int offset) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(shell.paths().runs());
        if (scope.equals("all")) {
            uri.queryParam("scope", "all");
        }
        for (RunStatus status : RunStatus.values()) {
            if (statuses.contains(status)) {
                uri.queryParam("status", status.wireName());
            }
        }
        if (offset > 0) {
            uri.queryParam("offset", offset);
        }
        return uri.build().toUriString();
    }

    @GetMapping("${portal.ui.path:/portal}/runs/{id}")
    ResponseEntity<String> run(@PathVariable String id, HttpServletRequest request) {
        UUID runId = runId(id);
        Run run = scaffolder.run(runId);
        UiShell shell = shells.shell(request, "Run", "runs");
        RunViews views = views(shell);
        RunView view = views.run(run, shells.caller());
        shell = shell.page(view.templateTitle() + " · run", "runs");
        List<RunEvent> events = events(runId);
        long last = events.isEmpty() ? 0 : events.getLast().id();
        return pages.ok("runs/run.jte", new RunPage(shell, view,
                scaffolder.processXml(runId).isPresent() ? shell.paths().run(runId) + "/diagram.bpmn" : null,
                views.values(run.values()), events.stream().map(RunViews::event).toList(), last,
                shell.paths().run(runId) + "/events"));
    }

    private List<RunEvent> events(UUID runId) {
        List<RunEvent> events = new ArrayList<>();
        long after = 0;
        while (events.size() < MAX_EVENTS_ON_PAGE) {
            List<RunEvent> batch = scaffolder.events(runId, after, 500);
            events.addAll(batch);
            if (batch.size() < 500) {
                break;
            }
            after = batch.getLast().id();
        }
        return events;
    }

    /**
     * The run's events as they happen (Server-Sent Events), after {@code after} or, when the
     * browser reconnects, after its {@code Last-Event-ID}: the page's log continues without a gap
     * or a repeat.
     */
    @GetMapping(path = "${portal.ui.path:/portal}/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<SseEmitter> events(@PathVariable String id, @RequestParam(required = false) Long after,
                                      @RequestHeader(value = "Last-Event-ID", required = false) Long lastEventId) {
        UUID runId = runId(id);
        scaffolder.streamable(runId);
        long from = lastEventId != null ? lastEventId : after == null ? 0 : Math.max(0, after);
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noStore()).body(streams.open(runId, from));
    }

    /** The BPMN XML of the run's process, which the page's diagram draws. */
    @GetMapping("${portal.ui.path:/portal}/runs/{id}/diagram.bpmn")
    ResponseEntity<String> diagram(@PathVariable String id) {
        UUID runId = runId(id);
        String xml = scaffolder.processXml(runId).orElseThrow(() -> new NotFoundException(
                "This application has no diagram of run " + runId + "'s process."));
        // a run's process never changes (its XML is kept by content hash)
        return ResponseEntity.ok().contentType(MediaType.valueOf("application/xml;charset=UTF-8"))
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePrivate()).body(xml);
    }

    @PostMapping("${portal.ui.path:/portal}/runs/{id}/cancel")
    ResponseEntity<String> cancel(@PathVariable String id, HttpServletRequest request) {
        UUID runId = runId(id);
        scaffolder.cancel(runId);
        return pages.seeOther(request, shells.paths(request).run(runId));
    }

    @PostMapping("${portal.ui.path:/portal}/runs/{id}/retry")
    ResponseEntity<String> retry(@PathVariable String id, HttpServletRequest request) {
        UUID runId = runId(id);
        scaffolder.retry(runId);
        return pages.seeOther(request, shells.paths(request).run(runId));
    }

    private RunViews views(UiShell shell) {
        return new RunViews(shell.paths(), catalog, policy, approvals.getIfAvailable());
    }

    private boolean isAdmin(EntityRef user) {
        ApprovalPolicy admins = approvalPolicy.getIfAvailable();
        return admins != null && admins.isAdmin(user);
    }

    static UUID runId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("There is no run " + id + ".");
        }
    }
}
