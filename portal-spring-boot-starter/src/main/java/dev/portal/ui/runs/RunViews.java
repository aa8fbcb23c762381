package dev.portal.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalStatus;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.ui.Link;
import dev.portal.ui.UiPaths;
import dev.portal.ui.approvals.TaskIds;
import dev.portal.ui.catalog.CatalogViews;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.PortalCaller;
import dev.portal.web.ScaffolderPermission;
import dev.portal.web.ScaffolderPermissionPolicy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where runs, their steps, approvals and events become what the run and approval
 * pages show, including the state of each BPMN element for the diagram's markers and which of the
 * cancel and retry buttons the caller gets (the Scaffolder's permission policy decides, as it does
 * again when the button is pressed).
 */
public final class RunViews {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final UiPaths paths;
    private final AuthorizedCatalog catalog;
    private final ScaffolderPermissionPolicy policy;
    private final ApprovalStore approvals;

    /** @param approvals the inbox's tasks, or {@code null} without approvals */
    public RunViews(UiPaths paths, AuthorizedCatalog catalog, ScaffolderPermissionPolicy policy, ApprovalStore approvals) {
        this.paths = paths;
        this.catalog = catalog;
        this.policy = policy;
        this.approvals = approvals;
    }

    public RunView run(Run run, PortalCaller caller) {
        List<ApprovalTask> tasks = approvals == null ? List.of() : approvals.ofRun(run.id());
        EntityRef templateRef = EntityRef.parse(run.templateRef(), "template", EntityRef.DEFAULT_NAMESPACE);
        String templateTitle = templateTitle(templateRef);
        Link repository = null;
        String repositoryText = null;
        String repoUrl = text(run.output().get("repoUrl"));
        if (repoUrl != null) {
            String href = CatalogViews.safeHref(repoUrl);
            if (href != null) {
                repository = new Link(href, repoUrl);
            } else {
                repositoryText = repoUrl;
            }
        }
        Link entity = null;
        String entityRef = text(run.output().get("entityRef"));
        if (entityRef != null) {
            try {
                EntityRef ref = EntityRef.parse(entityRef);
                entity = new Link(paths.entity(ref), ref.canonical());
            } catch (IllegalArgumentException e) {
                // not a ref: shown with the other values of the output, not as a link
            }
        }
        List<Link> waiting = tasks.stream().filter(task -> task.status() == ApprovalStatus.OPEN)
                .map(task -> new Link(paths.approval(TaskIds.of(task)), task.name())).toList();
        List<RunView.Step> steps = run.steps().stream().map(step -> new RunView.Step(step.stepId(), step.action(),
                step.status(), step.attempt(), when(step.startedAt()), step.finishedAt().map(RunViews::when).orElse(null),
                step.errorMessage().orElse(null))).toList();
        boolean ended = run.status().isFinal() || run.finishedAt().isPresent();
        String cancel = !ended && policy.isAllowed(caller, ScaffolderPermission.TASK_CANCEL, run)
                ? paths.run(run.id()) + "/cancel" : null;
        String retry = run.status() == RunStatus.FAILED && !ended && run.failedStep().isPresent()
                && policy.isAllowed(caller, ScaffolderPermission.TASK_RETRY, run) ? paths.run(run.id()) + "/retry" : null;
        return new RunView(run.id().toString(), paths.run(run.id()), run.status().wireName(), label(run.status()),
                templateTitle, new Link(paths.entity(templateRef), CatalogViews.shortRef(templateRef)),
                version(run.templateVersion()), person(run.requester()), when(run.createdAt()),
                run.finishedAt().map(RunViews::when).orElse(null), repository, repositoryText, entity,
                run.failedStep().orElse(null), run.errorMessage().orElse(null), waiting, steps, markers(run, tasks),
                cancel, retry, !ended);
    }

    /**
     * Each BPMN element the run has reached: {@code completed}, {@code active}, {@code waiting} (an
     * open approval), {@code failed} or {@code escalated}.
     */
    static String markers(Run run, List<ApprovalTask> tasks) {
        Map<String, String> states = new LinkedHashMap<>();
        for (Run.Step step : run.steps()) {
            states.put(step.stepId(), switch (step.status()) {
                case "completed" -> "completed";
                case "failed" -> "failed";
                default -> run.status().isFinal() ? "completed" : "active";
            });
        }
        for (ApprovalTask task : tasks) {
            states.put(task.stepId(), switch (task.status()) {
                case OPEN -> "waiting";
                case APPROVED -> "completed";
                case REJECTED -> "rejected";
                case ESCALATED -> "escalated";
                case CANCELLED -> "cancelled";
            });
        }
        run.failedStep().ifPresent(step -> {
            if (run.status() == RunStatus.FAILED) {
                states.put(step, "failed");
            }
        });
        ObjectNode json = JSON.createObjectNode();
        states.forEach(json::put);
        return json.toString();
    }

    public List<RunPage.Value> values(JsonNode values) {
        List<RunPage.Value> shown = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = values.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            String text = value.isValueNode() ? value.asText() : value.toPrettyString();
            shown.add(new RunPage.Value(field.getKey(), text, text.contains("\n")));
        }
        return shown;
    }

    public static RunPage.EventLine event(RunEvent event) {
        return new RunPage.EventLine(event.id(), event.createdAt() == null ? ""
                : TIME.format(event.createdAt().withOffsetSameInstant(ZoneOffset.UTC)), event.type(), event.level(),
                event.stepId().orElse(null), event.message());
    }

    /** {@code <template etag>@<BPMN version>} as people read it. */
    static String version(String templateVersion) {
        int at = templateVersion.lastIndexOf('@');
        if (at < 0) {
            return "template " + shortHash(templateVersion);
        }
        return "process version " + templateVersion.substring(at + 1) + ", template " + shortHash(templateVersion.substring(0, at));
    }

    private static String shortHash(String etag) {
        return etag.length() > 8 ? etag.substring(0, 8) : etag;
    }

    public static String label(RunStatus status) {
        return switch (status) {
            case STARTING -> "Starting";
            case RUNNING -> "Running";
            case WAITING_FOR_APPROVAL -> "Waiting for approval";
            case COMPLETED -> "Completed";
            case FAILED -> "Failed";
            case CANCELLED -> "Cancelled";
            case REJECTED -> "Rejected";
        };
    }

    public String templateTitle(EntityRef templateRef) {
        Optional<StoredEntity> template;
        try {
            template = catalog.entities().byRef(templateRef);
        } catch (RuntimeException e) {
            template = Optional.empty();
        }
        return template.map(stored -> CatalogViews.title(stored.entity())).orElse(CatalogViews.shortRef(templateRef));
    }

    public Link person(String userRef) {
        try {
            EntityRef ref = EntityRef.parse(userRef, "user", EntityRef.DEFAULT_NAMESPACE);
            return new Link(paths.entity(ref), CatalogViews.shortRef(ref));
        } catch (IllegalArgumentException e) {
            return new Link(null, userRef);
        }
    }

    public static String when(OffsetDateTime time) {
        return time == null ? null : WHEN.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
    }
}
