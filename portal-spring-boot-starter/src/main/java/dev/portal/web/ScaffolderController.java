package dev.portal.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalStore;
import dev.portal.catalog.model.EntityRef;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotFoundException;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.action.ElementTemplates;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.template.TemplateDefinition;
import dev.portal.web.api.ScaffolderApi;
import dev.portal.web.model.ActionDescription;
import dev.portal.web.model.ActionSchema;
import dev.portal.web.model.CreateTaskRequest;
import dev.portal.web.model.CreateTaskResponse;
import dev.portal.web.model.DryRunContent;
import dev.portal.web.model.DryRunFile;
import dev.portal.web.model.DryRunLogBody;
import dev.portal.web.model.DryRunLogEntry;
import dev.portal.web.model.DryRunRequest;
import dev.portal.web.model.TaskSpecStep;
import dev.portal.web.model.TemplatingExtensions;
import dev.portal.web.model.TemplatingGlobals;
import dev.portal.web.model.DryRunResponse;
import dev.portal.web.model.PendingApproval;
import dev.portal.web.model.Provenance;
import dev.portal.web.model.Task;
import dev.portal.web.model.TaskEvent;
import dev.portal.web.model.TaskLink;
import dev.portal.web.model.TaskList;
import dev.portal.web.model.TaskOutput;
import dev.portal.web.model.TaskStep;
import dev.portal.web.model.TemplateList;
import dev.portal.web.model.TemplateParameterSchema;
import dev.portal.web.model.TemplateParameterStep;
import dev.portal.web.model.TemplateSummary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Scaffolder API under {@code /api/scaffolder} (interfaces generated from
 * {@code openapi/portal-api.yaml}). Authorization is {@link AuthorizedScaffolder}'s; errors are
 * {@link CatalogErrorAdvice}'s.
 */
@RestController
@RequestMapping(ScaffolderController.BASE_PATH)
public class ScaffolderController implements ScaffolderApi {

    public static final String BASE_PATH = "/api/scaffolder";

    private static final int MAX_EVENTS = 1000;

    /** How long {@code GET /v2/tasks/{id}/events} holds a request when nothing is new (Backstage's 30 s). */
    static final Duration LONG_POLL = Duration.ofSeconds(30);

    private static final TaskSpecStep DRY_RUN_STEP = new TaskSpecStep("dry-run", "Render the skeleton",
            Scaffolder.FETCH_TEMPLATE_ACTION);

    private final BackstageTaskShapes shapes = new BackstageTaskShapes();

    private final AuthorizedScaffolder scaffolder;
    private final ScaffolderEventStreams streams;
    private final AuthorizedCatalog catalog;

    private final ApprovalStore approvals;

    /** @param approvals the approval inbox, for who approved a run; {@code null} without approvals */
    public ScaffolderController(AuthorizedScaffolder scaffolder, ScaffolderEventStreams streams, AuthorizedCatalog catalog,
                                ApprovalStore approvals) {
        this.scaffolder = scaffolder;
        this.streams = streams;
        this.catalog = catalog;
        this.approvals = approvals;
    }

    @Override
    public ResponseEntity<TemplateList> listTemplates() {
        Map<String, String> problems = scaffolder.templateProblems();
        return ResponseEntity.ok(new TemplateList(scaffolder.templates().stream()
                .map(template -> summary(template).problem(problems.get(template.ref().canonical()))).toList()));
    }

    @Override
    public ResponseEntity<TemplateParameterSchema> getTemplateParameterSchema(String namespace, String kind, String name) {
        TemplateDefinition template = scaffolder.template(EntityRef.of(kind, namespace, name));
        List<TemplateParameterStep> steps = template.parameters().stream()
                .map(page -> new TemplateParameterStep(page.path("title").asText("Parameters"), (ObjectNode) page)
                        .description(page.path("description").asText(null)))
                .toList();
        return ResponseEntity.ok(new TemplateParameterSchema(template.title(), steps).description(template.description()));
    }

    @Override
    public ResponseEntity<List<ActionDescription>> listActions() {
        List<ActionDescription> actions = new ArrayList<>();
        for (ScaffolderAction<?, ?> action : scaffolder.actions().all()) {
            actions.add(new ActionDescription(action.id(), action.description(),
                    new ActionSchema(action.inputSchema(), action.outputSchema())).supportsDryRun(action.supportsDryRun()));
        }
        return ResponseEntity.ok(actions);
    }

    @Override
    public ResponseEntity<ObjectNode> getActionElementTemplate(String actionId) {
        ScaffolderAction<?, ?> action = scaffolder.actions().find(actionId)
                .orElseThrow(() -> new NotFoundException("no action '" + actionId + "' is registered"));
        return ResponseEntity.ok(ElementTemplates.of(action, 1));
    }

    @Override
    public ResponseEntity<CreateTaskResponse> createTask(CreateTaskRequest request) {
        Run run = scaffolder.start(templateRef(request), request.getValues());
        return ResponseEntity.status(HttpStatus.CREATED).body(new CreateTaskResponse(run.id()));
    }

    @Override
    public ResponseEntity<TaskList> listTasks(List<String> status, String createdBy, Integer limit, Integer offset) {
        List<RunStatus> statuses = status == null ? List.of()
                : status.stream().flatMap(value -> List.of(value.split(",")).stream()).map(String::trim)
                .filter(value -> !value.isEmpty()).flatMap(value -> BackstageTaskShapes.statusFilter(value).stream())
                .distinct().toList();
        if (limit < 1 || limit > 500 || offset < 0) {
            throw new InvalidInputException("limit must be 1..500 and offset at least 0, got limit=" + limit + ", offset=" + offset);
        }
        Optional<String> requester = Optional.ofNullable(createdBy).filter(value -> !value.isBlank())
                .map(value -> EntityRef.parse(value, "user", EntityRef.DEFAULT_NAMESPACE).canonical());
        List<Task> tasks = scaffolder.runs(statuses, requester, limit, offset).stream()
                .map(run -> task(run, List.of())).toList();
        return ResponseEntity.ok(new TaskList(tasks));
    }

    @Override
    public ResponseEntity<Task> getTask(UUID taskId) {
        Run run = scaffolder.run(taskId);
        Task task = task(run, scaffolder.processXml(taskId).map(shapes::steps).orElse(List.of()));
        if (approvals != null) {
            approvals.openOfRun(taskId).forEach(open -> task.addWaitingAtItem(
                    new PendingApproval(open.id().toString(), open.stepId(), open.name())));
        }
        return ResponseEntity.ok(task);
    }

    /**
     * {@code GET /v2/tasks/{id}/events}: the events after {@code after}, at once when there are any
     * (or the run ended), else held until one is written, at most {@link #LONG_POLL}, then {@code []}.
     * Held requests wait without a thread ({@link ScaffolderEventStreams#hold}); declared
     * {@code x-internal} in the contract, as the generated interface cannot return a deferred result.
     */
    @GetMapping(path = "/v2/tasks/{taskId}/events", produces = MediaType.APPLICATION_JSON_VALUE)
    public DeferredResult<List<TaskEvent>> listTaskEvents(@PathVariable("taskId") UUID taskId,
                                                        @RequestParam(value = "after", required = false) Long after) {
        long from = after == null ? 0 : Math.max(0, after);
        // read (and authorized) on the request thread; later looks happen on the streams' threads
        List<RunEvent> events = scaffolder.events(taskId, from, MAX_EVENTS);
        DeferredResult<List<TaskEvent>> result = new DeferredResult<>(LONG_POLL.toMillis(), List.<TaskEvent>of());
        List<TaskEvent> page = streams.page(taskId, from, events, MAX_EVENTS);
        if (!page.isEmpty()) {
            result.setResult(page);
        } else {
            streams.hold(taskId, from, MAX_EVENTS, result);
        }
        return result;
    }

    /** Resumes exactly after {@code Last-Event-ID} when a client reconnects, else after {@code after}. */
    @Override
    public ResponseEntity<SseEmitter> streamTaskEvents(UUID taskId, Long after, Long lastEventId) {
        scaffolder.streamable(taskId);
        long from = lastEventId != null ? lastEventId : after == null ? 0 : after;
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .body(streams.open(taskId, Math.max(0, from)));
    }

    /** {@code GET /v2/tasks/{id}/events} with {@code Accept: text/event-stream}: the live stream. */
    @GetMapping(path = "/v2/tasks/{taskId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> eventStream(@PathVariable("taskId") UUID taskId,
                                                  @RequestParam(value = "after", required = false) Long after,
                                                  @RequestHeader(value = "Last-Event-ID", required = false) Long lastEventId) {
        return streamTaskEvents(taskId, after, lastEventId);
    }

    @Override
    public ResponseEntity<Task> cancelTask(UUID taskId) {
        return ResponseEntity.ok(task(scaffolder.cancel(taskId), List.of()));
    }

    @Override
    public ResponseEntity<Task> retryTask(UUID taskId) {
        return ResponseEntity.ok(task(scaffolder.retry(taskId), List.of()));
    }

    /**
     * Portal's {@code {templateRef, values}} or Backstage's {@code {template, values, secrets,
     * directoryContents}}: the template entity names the catalog template rendered.
     */
    @Override
    public ResponseEntity<DryRunResponse> dryRun(DryRunRequest request) {
        if (request == null) {
            throw new InvalidInputException("a dry run needs {templateRef, values} or Backstage's {template, values}");
        }
        if (request.getDirectoryContents() != null && !request.getDirectoryContents().isEmpty()) {
            throw new InvalidInputException("directoryContents must be empty: Portal renders the skeleton the catalog holds"
                    + " for the template, not files sent with the request");
        }
        EntityRef ref = dryRunTemplate(request);
        Scaffolder.DryRunResult result = scaffolder.dryRun(ref, request.getValues());
        List<DryRunFile> files = result.files().stream()
                .map(file -> new DryRunFile(file.path(), file.size(), file.base64(), file.content())).toList();
        List<DryRunContent> contents = result.files().stream()
                .map(file -> new DryRunContent(file.path(), file.base64() ? file.content()
                        : Base64.getEncoder().encodeToString(file.content().getBytes(StandardCharsets.UTF_8)))
                        .executable(false))
                .toList();
        List<DryRunLogEntry> log = result.log().stream()
                .map(line -> new DryRunLogEntry(new DryRunLogBody(line).stepId(DRY_RUN_STEP.getId()))).toList();
        return ResponseEntity.ok(new DryRunResponse(files, contents, log, List.of(DRY_RUN_STEP), result.output()));
    }

    @Override
    public ResponseEntity<TemplatingExtensions> listTemplatingExtensions() {
        return ResponseEntity.ok(new TemplatingExtensions(BackstageTaskShapes.emptyObject(),
                new TemplatingGlobals(BackstageTaskShapes.emptyObject(), BackstageTaskShapes.emptyObject())));
    }

    @Override
    public ResponseEntity<Void> autocomplete(String provider, String resource, Object body) {
        throw new NotFoundException("no autocomplete provider '" + provider + "': Portal asks no SCM for " + resource
                + " suggestions");
    }

    private static EntityRef dryRunTemplate(DryRunRequest request) {
        if (request.getTemplateRef() != null && !request.getTemplateRef().isBlank()) {
            return EntityRef.parse(request.getTemplateRef(), "template", EntityRef.DEFAULT_NAMESPACE);
        }
        ObjectNode template = request.getTemplate();
        String name = template == null ? "" : template.path("metadata").path("name").asText("");
        if (name.isBlank()) {
            throw new InvalidInputException("templateRef, or template with metadata.name, is required,"
                    + " e.g. template:default/create-service");
        }
        String namespace = template.path("metadata").path("namespace").asText(EntityRef.DEFAULT_NAMESPACE);
        return EntityRef.of("template", namespace.isBlank() ? EntityRef.DEFAULT_NAMESPACE : namespace, name);
    }

    @Override
    public ResponseEntity<Provenance> getProvenance(String kind, String namespace, String name) {
        EntityRef ref = EntityRef.of(kind, namespace, name);
        // who may not read runs, or the catalog, learns nothing of the entity, not even whether it exists
        scaffolder.checkMayReadRuns();
        var entity = catalog.entities().byRef(ref)
                .orElseThrow(() -> new NotFoundException("No entity named '" + ref.canonical() + "' found"));
        Run run = scaffolder.createdBy(entity.entity()).orElseThrow(() -> new NotFoundException(
                ref.canonical() + " was not created by a Scaffolder run of this portal"));
        Provenance provenance = new Provenance(ref.canonical(), run.id(), run.templateRef(), run.requester(), run.values())
                .templateVersion(run.templateVersion()).status(run.status().wireName()).createdAt(run.createdAt());
        if (approvals != null) {
            provenance.approvals(approvals.decisionsOfRun(run.id()).stream().map(ApprovalsController::decision).toList());
        }
        return ResponseEntity.ok(provenance);
    }

    private static EntityRef templateRef(CreateTaskRequest request) {
        if (request == null || request.getTemplateRef() == null || request.getTemplateRef().isBlank()) {
            throw new InvalidInputException("templateRef is required, e.g. template:default/create-service");
        }
        return EntityRef.parse(request.getTemplateRef(), "template", EntityRef.DEFAULT_NAMESPACE);
    }

    private static TemplateSummary summary(TemplateDefinition template) {
        return new TemplateSummary(template.ref().canonical(), template.title(), template.processId(),
                template.parameters().stream().map(page -> (ObjectNode) page.deepCopy()).toList())
                .description(template.description()).tags(template.tags()).owner(template.owner());
    }

    /** A run in Portal's shape with Backstage's beside it ({@code status}, {@code spec} with {@code specSteps}). */
    static Task task(Run run, List<TaskSpecStep> specSteps) {
        Task task = new Task(run.id(), BackstageTaskShapes.status(run.status()), Task.RunStatusEnum.fromValue(run.status().wireName()),
                BackstageTaskShapes.spec(run, specSteps), run.templateRef(), run.requester(),
                run.createdAt(), run.values(), output(run.output()), run.steps().stream().map(ScaffolderController::step).toList())
                .templateVersion(run.templateVersion())
                .processId(run.processId())
                .updatedAt(run.updatedAt())
                .lastHeartbeatAt(run.updatedAt());
        run.processInstanceKey().ifPresent(key -> task.processInstanceKey(Long.toString(key)));
        run.finishedAt().ifPresent(task::finishedAt);
        run.failedStep().ifPresent(task::failedStep);
        run.errorMessage().ifPresent(task::error);
        return task;
    }

    private static TaskOutput output(ObjectNode values) {
        List<TaskLink> links = new ArrayList<>();
        if (values.hasNonNull("repoUrl")) {
            links.add(new TaskLink("Repository", values.get("repoUrl").asText()));
        }
        if (values.hasNonNull("entityRef") && !values.get("entityRef").asText().isEmpty()) {
            String entityRef = values.get("entityRef").asText();
            try {
                EntityRef ref = EntityRef.parse(entityRef);
                links.add(new TaskLink("Open in catalog", "/api/catalog/entities/by-name/" + ref.kind() + "/"
                        + ref.namespace() + "/" + ref.name()).entityRef(ref.canonical()));
            } catch (IllegalArgumentException e) {
                // not a ref; the value stays in the output as it is
            }
        }
        return new TaskOutput(values, links);
    }

    private static TaskStep step(Run.Step step) {
        TaskStep wire = new TaskStep(step.stepId(), step.action(), TaskStep.StatusEnum.fromValue(step.status()),
                step.attempt(), step.startedAt());
        step.output().ifPresent(wire::output);
        step.errorMessage().ifPresent(wire::error);
        step.finishedAt().ifPresent(wire::finishedAt);
        return wire;
    }

    /** A stored event on the wire (Backstage's type, Portal's kind beside). */
    public static TaskEvent event(RunEvent event) {
        return BackstageTaskShapes.event(event);
    }
}
