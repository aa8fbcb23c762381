package dev.portal.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalStore;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
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
import dev.portal.web.model.DryRunFile;
import dev.portal.web.model.DryRunResponse;
import dev.portal.web.model.PendingApproval;
import dev.portal.web.model.Provenance;
import dev.portal.web.model.Task;
import dev.portal.web.model.TaskEvent;
import dev.portal.web.model.TaskEventBody;
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
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

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

    private final AuthorizedScaffolder scaffolder;
    private final ScaffolderEventStreams streams;
    private final EntityQueries entities;

    private final ApprovalStore approvals;

    /** @param approvals the approval inbox, for who approved a run; {@code null} without approvals */
    public ScaffolderController(AuthorizedScaffolder scaffolder, ScaffolderEventStreams streams, EntityQueries entities,
                                ApprovalStore approvals) {
        this.scaffolder = scaffolder;
        this.streams = streams;
        this.entities = entities;
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
                .filter(value -> !value.isEmpty()).map(RunStatus::fromWireName).toList();
        if (limit < 1 || limit > 500 || offset < 0) {
            throw new InvalidInputException("limit must be 1..500 and offset at least 0, got limit=" + limit + ", offset=" + offset);
        }
        Optional<String> requester = Optional.ofNullable(createdBy).filter(value -> !value.isBlank())
                .map(value -> EntityRef.parse(value, "user", EntityRef.DEFAULT_NAMESPACE).canonical());
        List<Task> tasks = scaffolder.runs(statuses, requester, limit, offset).stream()
                .map(ScaffolderController::task).toList();
        return ResponseEntity.ok(new TaskList(tasks));
    }

    @Override
    public ResponseEntity<Task> getTask(UUID taskId) {
        Task task = task(scaffolder.run(taskId));
        if (approvals != null) {
            approvals.openOfRun(taskId).forEach(open -> task.addWaitingAtItem(
                    new PendingApproval(Long.toString(open.jobKey()), open.stepId(), open.name())));
        }
        return ResponseEntity.ok(task);
    }

    @Override
    public ResponseEntity<List<TaskEvent>> listTaskEvents(UUID taskId, Long after) {
        return ResponseEntity.ok(scaffolder.events(taskId, after == null ? 0 : after, MAX_EVENTS).stream()
                .map(ScaffolderController::event).toList());
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
        return ResponseEntity.ok(task(scaffolder.cancel(taskId)));
    }

    @Override
    public ResponseEntity<Task> retryTask(UUID taskId) {
        return ResponseEntity.ok(task(scaffolder.retry(taskId)));
    }

    @Override
    public ResponseEntity<DryRunResponse> dryRun(CreateTaskRequest request) {
        Scaffolder.DryRunResult result = scaffolder.dryRun(templateRef(request), request.getValues());
        return ResponseEntity.ok(new DryRunResponse(
                result.files().stream().map(file -> new DryRunFile(file.path(), file.size(), file.base64(), file.content())).toList(),
                result.log(), result.output()));
    }

    @Override
    public ResponseEntity<Provenance> getProvenance(String kind, String namespace, String name) {
        EntityRef ref = EntityRef.of(kind, namespace, name);
        var entity = entities.byRef(ref).orElseThrow(() -> new NotFoundException("No entity named '" + ref.canonical() + "' found"));
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

    static Task task(Run run) {
        Task task = new Task(run.id(), Task.StatusEnum.fromValue(run.status().wireName()), run.templateRef(), run.requester(),
                run.createdAt(), run.values(), output(run.output()), run.steps().stream().map(ScaffolderController::step).toList())
                .templateVersion(run.templateVersion())
                .processId(run.processId())
                .updatedAt(run.updatedAt());
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

    public static TaskEvent event(RunEvent event) {
        TaskEventBody body = new TaskEventBody(event.message(), TaskEventBody.LevelEnum.fromValue(event.level()));
        event.stepId().ifPresent(body::stepId);
        return new TaskEvent(event.id(), event.runId(), event.type(), body, event.createdAt());
    }
}
