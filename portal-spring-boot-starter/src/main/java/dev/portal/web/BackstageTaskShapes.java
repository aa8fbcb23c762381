package dev.portal.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.web.model.Task;
import dev.portal.web.model.TaskEvent;
import dev.portal.web.model.TaskEventBody;
import dev.portal.web.model.TaskEventError;
import dev.portal.web.model.TaskSpec;
import dev.portal.web.model.TaskSpecStep;
import dev.portal.web.model.TaskTemplateInfo;
import dev.portal.web.model.TaskUser;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Activity;
import io.camunda.zeebe.model.bpmn.instance.FlowNode;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.SequenceFlow;
import io.camunda.zeebe.model.bpmn.instance.ServiceTask;
import io.camunda.zeebe.model.bpmn.instance.StartEvent;
import io.camunda.zeebe.model.bpmn.instance.UserTask;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Portal's runs in the shapes Backstage's {@code ScaffolderClient} and task page read: task status
 * names, {@code spec.steps} (one per BPMN activity), and the event types {@code log} (with
 * {@code body.stepId} and {@code body.status}), {@code recovered}, {@code cancelled} and
 * {@code completion}. Portal's own fields stay beside them ({@code runStatus}, {@code body.kind}).
 */
final class BackstageTaskShapes {

    /** Action shown for a BPMN user task: Portal's approvals. */
    static final String APPROVAL_ACTION = "portal:approval";

    private static final int CACHED_PROCESSES = 64;

    /** Steps by BPMN XML: a process is parsed once, not on every poll of its runs. */
    private final Map<String, List<TaskSpecStep>> stepsByXml = new ConcurrentHashMap<>();

    /** Backstage's name of a Portal run status. */
    static Task.StatusEnum status(RunStatus status) {
        return switch (status) {
            case STARTING -> Task.StatusEnum.OPEN;
            case RUNNING, WAITING_FOR_APPROVAL -> Task.StatusEnum.PROCESSING;
            case COMPLETED -> Task.StatusEnum.COMPLETED;
            case FAILED, REJECTED -> Task.StatusEnum.FAILED;
            case CANCELLED -> Task.StatusEnum.CANCELLED;
        };
    }

    /**
     * The run statuses a {@code status} filter names: Portal's own ({@code waiting-for-approval})
     * or Backstage's ({@code processing}, which is {@code running} and {@code waiting-for-approval}).
     */
    static Collection<RunStatus> statusFilter(String value) {
        List<RunStatus> backstage = Arrays.stream(RunStatus.values())
                .filter(status -> status(status).getValue().equals(value)).toList();
        boolean portalName = Arrays.stream(RunStatus.values()).anyMatch(status -> status.wireName().equals(value));
        if (portalName) {
            return List.of(RunStatus.fromWireName(value));
        }
        if (!backstage.isEmpty()) {
            return backstage;
        }
        throw new InvalidInputException("status: unknown run status '" + value + "'; known: "
                + Arrays.stream(RunStatus.values()).map(RunStatus::wireName).toList()
                + " or Backstage's " + Arrays.stream(Task.StatusEnum.values()).map(Task.StatusEnum::getValue).toList());
    }

    /** Backstage's task spec of {@code run}, with {@code steps} (empty when unknown, e.g. in a list). */
    static TaskSpec spec(Run run, List<TaskSpecStep> steps) {
        return new TaskSpec(TaskSpec.ApiVersionEnum.SCAFFOLDER_BACKSTAGE_IO_V1BETA3, new TaskTemplateInfo(run.templateRef()),
                run.values(), steps, JsonNodeFactory.instance.objectNode(), new TaskUser(run.requester()));
    }

    /** One step per activity of the process, in the order its sequence flows reach them. */
    List<TaskSpecStep> steps(String bpmnXml) {
        List<TaskSpecStep> known = stepsByXml.get(bpmnXml);
        if (known != null) {
            return known;
        }
        List<TaskSpecStep> steps;
        try {
            steps = parse(bpmnXml);
        } catch (RuntimeException e) {
            // a process the model cannot read still runs in the engine; the task just shows no steps
            return List.of();
        }
        if (stepsByXml.size() >= CACHED_PROCESSES) {
            stepsByXml.clear();
        }
        stepsByXml.put(bpmnXml, steps);
        return steps;
    }

    private static List<TaskSpecStep> parse(String bpmnXml) {
        BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream(bpmnXml.getBytes(StandardCharsets.UTF_8)));
        Set<FlowNode> ordered = new LinkedHashSet<>();
        Deque<FlowNode> next = new ArrayDeque<>();
        for (Process process : model.getModelElementsByType(Process.class)) {
            process.getChildElementsByType(StartEvent.class).forEach(next::add);
        }
        while (!next.isEmpty()) {
            FlowNode node = next.removeFirst();
            if (ordered.add(node)) {
                for (SequenceFlow flow : node.getOutgoing()) {
                    next.addLast(flow.getTarget());
                }
            }
        }
        // activities no flow from a start event reaches (event sub-processes, boundary paths) after those
        ordered.addAll(model.getModelElementsByType(Activity.class));
        List<TaskSpecStep> steps = new ArrayList<>();
        for (FlowNode node : ordered) {
            if (node instanceof Activity activity) {
                String name = activity.getName() == null || activity.getName().isBlank() ? activity.getId() : activity.getName();
                steps.add(new TaskSpecStep(activity.getId(), name, action(activity)));
            }
        }
        return List.copyOf(steps);
    }

    private static String action(Activity activity) {
        if (activity instanceof UserTask) {
            return APPROVAL_ACTION;
        }
        if (activity instanceof ServiceTask) {
            ZeebeTaskDefinition definition = activity.getSingleExtensionElement(ZeebeTaskDefinition.class);
            if (definition != null && definition.getType() != null) {
                return definition.getType();
            }
        }
        return "bpmn:" + activity.getElementType().getTypeName();
    }

    /** A stored event: Backstage's type, the step's status after it, Portal's own kind beside. */
    static TaskEvent event(RunEvent event) {
        TaskEventBody body = new TaskEventBody(event.message(), TaskEventBody.LevelEnum.fromValue(event.level()), event.type());
        event.stepId().ifPresent(body::stepId);
        switch (event.type()) {
            case "step-started", "step-waiting" -> body.status(TaskEventBody.StatusEnum.PROCESSING);
            case "step-completed" -> body.status(TaskEventBody.StatusEnum.COMPLETED);
            case "step-failed" -> body.status(TaskEventBody.StatusEnum.FAILED);
            default -> {
            }
        }
        TaskEvent.TypeEnum type = "recovered".equals(event.type()) ? TaskEvent.TypeEnum.RECOVERED : TaskEvent.TypeEnum.LOG;
        return new TaskEvent(event.id(), event.runId(), type, body, event.createdAt());
    }

    /**
     * What ends a run's events for a Backstage client, not stored: {@code cancelled} for a
     * cancelled run, then {@code completion} with the run's status (and error) once the run ended
     * or failed; nothing while it goes on. They carry {@code lastId}, the last stored event's id, so
     * asking after it answers at once and a resumed stream repeats them harmlessly.
     */
    static List<TaskEvent> ending(Run run, long lastId) {
        if (!run.status().isFinal() && run.status() != RunStatus.FAILED) {
            return List.of();
        }
        List<TaskEvent> ending = new ArrayList<>();
        var at = run.finishedAt().orElse(run.updatedAt());
        if (run.status() == RunStatus.CANCELLED) {
            ending.add(new TaskEvent(lastId, run.id(), TaskEvent.TypeEnum.CANCELLED,
                    new TaskEventBody("run cancelled", TaskEventBody.LevelEnum.INFO, "cancelled")
                            .status(TaskEventBody.StatusEnum.CANCELLED), at));
        }
        Task.StatusEnum status = status(run.status());
        TaskEventBody body = new TaskEventBody("Run completed with status: " + status.getValue(),
                run.status() == RunStatus.COMPLETED || run.status() == RunStatus.CANCELLED
                        ? TaskEventBody.LevelEnum.INFO : TaskEventBody.LevelEnum.ERROR, "completion")
                .status(TaskEventBody.StatusEnum.fromValue(status.getValue()));
        if (status == Task.StatusEnum.FAILED) {
            String message = run.status() == RunStatus.REJECTED ? "the request was rejected"
                    : run.errorMessage().orElse("the run failed");
            run.failedStep().ifPresent(body::stepId);
            body.message("Run failed with error: " + message).error(new TaskEventError("Error", message));
        }
        ending.add(new TaskEvent(lastId, run.id(), TaskEvent.TypeEnum.COMPLETION, body, at));
        return ending;
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
