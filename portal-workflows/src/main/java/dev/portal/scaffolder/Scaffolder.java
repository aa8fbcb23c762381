package dev.portal.scaffolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.Order;
import dev.portal.error.ConflictException;
import dev.portal.error.NotFoundException;
import dev.portal.error.UnavailableException;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.run.NewRun;
import dev.portal.scaffolder.run.ProcessStore;
import dev.portal.scaffolder.run.ProcessInstanceRef;
import dev.portal.scaffolder.run.Provenance;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.run.Workspaces;
import dev.portal.scaffolder.secret.SecretBox;
import dev.portal.scaffolder.secret.SecretParameters;
import dev.portal.scaffolder.template.ParameterValidator;
import dev.portal.scaffolder.template.TemplateDefinition;
import dev.portal.scaffolder.template.TemplateResources;
import dev.portal.scaffolder.zeebe.EngineErrors;
import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.scaffolder.zeebe.StepInputs;
import dev.portal.scaffolder.zeebe.ZeebeActionWorkers;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ProcessInstanceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The Scaffolder's use cases: list templates, start a run (validate, record, start the process),
 * follow it, cancel it, retry its failed step, dry-run a template, and say which run created an
 * entity. Callers (the REST layer) decide who may do what; this class does what it is asked.
 */
public final class Scaffolder {

    /** The action a dry run renders with. */
    public static final String FETCH_TEMPLATE_ACTION = "portal.fetch-template";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Scaffolder.class);

    private final EntityQueries entities;
    private final RunStore runs;
    private final ProcessStore processes;
    private final ProcessDeployer deployer;
    private final TemplateResources resources;
    private final CamundaClient client;
    private final IncidentLookup incidents;
    private final Workspaces workspaces;
    private final dev.portal.scaffolder.action.ActionRegistry actions;
    private final List<Consumer<UUID>> cancelHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SecretBox secrets;

    /** A Scaffolder whose secret parameters open only in this JVM ({@link SecretBox#ephemeral()}). */
    public Scaffolder(EntityQueries entities, RunStore runs, ProcessStore processes,
                      dev.portal.scaffolder.action.ActionRegistry actions,
                      ProcessDeployer deployer, TemplateResources resources, CamundaClient client,
                      IncidentLookup incidents, Workspaces workspaces) {
        this(entities, runs, processes, actions, deployer, resources, client, incidents, workspaces, SecretBox.ephemeral());
    }

    /**
     * @param secrets seals the values a template marks secret before they are stored or handed to
     *                the engine; the {@link StepRunner}'s box must hold the same key
     */
    public Scaffolder(EntityQueries entities, RunStore runs, ProcessStore processes,
                      dev.portal.scaffolder.action.ActionRegistry actions,
                      ProcessDeployer deployer, TemplateResources resources, CamundaClient client,
                      IncidentLookup incidents, Workspaces workspaces, SecretBox secrets) {
        this.secrets = secrets;
        this.entities = entities;
        this.runs = runs;
        this.processes = processes;
        this.actions = actions;
        this.deployer = deployer;
        this.resources = resources;
        this.client = client;
        this.incidents = incidents;
        this.workspaces = workspaces;
    }

    public RunStore runs() {
        return runs;
    }

    /** Called with the run id after a run was cancelled (the approval inbox closes its tasks). */
    public void onCancel(Consumer<UUID> hook) {
        cancelHooks.add(hook);
    }

    public dev.portal.scaffolder.action.ActionRegistry actions() {
        return actions;
    }

    /**
     * Every Template entity in the catalog that can be started, by name: orphans (their catalog
     * location was deleted, or no longer lists them) are not offered.
     */
    public List<TemplateDefinition> templates() {
        return entities.list(EntityFilter.equalTo("kind", "template"), List.of(Order.asc("metadata.name")), 0, null)
                .stream().filter(stored -> !stored.orphan()).map(stored -> TemplateDefinition.of(stored.entity())).toList();
    }

    public TemplateDefinition template(EntityRef ref) {
        return TemplateDefinition.of(templateEntity(ref).entity());
    }

    /**
     * Checks a template the catalog just stored by deploying its BPMN resource (the job types, the
     * model, and Zeebe's check of its FEEL expressions), and records what it found, so that a
     * broken template is reported when it is registered, not when somebody first starts it.
     *
     * @return the problem, if the template's BPMN is broken
     * @throws UnavailableException when the engine did not answer (nothing is recorded)
     */
    public Optional<String> checkTemplate(EntityRef ref) {
        Optional<StoredEntity> stored = entities.byRef(ref).filter(entity -> !entity.orphan());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> problem;
        try {
            TemplateDefinition template = TemplateDefinition.of(stored.get().entity());
            SecretParameters.requireSealable(template);
            deploy(template);
            problem = Optional.empty();
        } catch (dev.portal.scaffolder.template.TemplateException e) {
            problem = Optional.of(e.getMessage());
        }
        processes.recordCheck(ref.canonical(), stored.get().etag(), problem);
        return problem;
    }

    /** Templates whose BPMN the last check found broken, by canonical ref, with the problem. */
    public Map<String, String> templateProblems() {
        return processes.problems();
    }

    /**
     * Starts a run: validates {@code values}, deploys the template's BPMN resource if it names one,
     * records the run ({@code starting}), creates the process instance with the values and the run
     * id, and records the instance. Crash-safe in that order: the run exists before its instance,
     * and an instance whose key was not recorded (the host died, the database failed) is attached by
     * its first job or its end, found by the run id it carries ({@link RunStore#attach}).
     *
     * @throws dev.portal.scaffolder.template.InvalidParametersException naming each bad field
     * @throws RunNotStarted when the engine refused or did not answer; the run is then failed
     */
    public Run start(EntityRef templateRef, JsonNode values, String requester) {
        StoredEntity stored = templateEntity(templateRef);
        TemplateDefinition template = TemplateDefinition.of(stored.entity());
        // a secret Portal could not find would be stored in clear: such a template never starts
        SecretParameters.requireSealable(template);
        ObjectNode validated = ParameterValidator.validate(template, values);
        Optional<ProcessDeployer.DeployedProcess> deployed = deploy(template);
        Optional<Long> definitionKey = deployed.map(ProcessDeployer.DeployedProcess::processDefinitionKey);

        UUID runId = UUID.randomUUID();
        // secrets are sealed before anything is stored or sent: the run's row, its events and the
        // engine's variables only ever hold them encrypted
        ObjectNode sealed = SecretParameters.seal(template, validated, secrets, runId);
        Run created = runs.create(new NewRun(runId, template.ref().canonical(), stored.etag(), stored.entity().toJson(),
                template.processId(), sealed, requester, deployed.map(ProcessDeployer.DeployedProcess::xmlSha256)));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(ZeebeActionWorkers.RUN_ID_VARIABLE, runId.toString());
        variables.put("values", JSON.convertValue(sealed, Map.class));
        variables.put("templateRef", template.ref().canonical());
        variables.put("requester", requester);
        ProcessInstanceEvent instance;
        try {
            // the version this template deployed, not whatever was deployed last under the same id
            instance = (definitionKey.isPresent()
                    ? client.newCreateInstanceCommand().processDefinitionKey(definitionKey.get())
                    : client.newCreateInstanceCommand().bpmnProcessId(template.processId()).latestVersion())
                    .variables(variables)
                    .send().join();
        } catch (RuntimeException e) {
            boolean missing = EngineErrors.isNotFound(e);
            String message = missing
                    ? "the workflow engine has no process '" + template.processId() + "'; deploy it or name its BPMN file in spec.workflow.resource"
                    : "the workflow engine did not start process '" + template.processId() + "': " + EngineErrors.summary(e);
            if (!missing) {
                LOG.warn("run {}: the workflow engine did not start process '{}'", runId, template.processId(), e);
            }
            try {
                // unless the instance was created after all (a timeout) and its first job attached it already
                runs.failStart(runId, message);
            } catch (RuntimeException storeFailure) {
                // the run stays 'starting'; the sweep looks its instance up or ends it after the grace period
                e.addSuppressed(storeFailure);
            }
            throw missing ? new RunNotStarted.NoProcess(runId, "run " + runId + " failed: " + message, e)
                    : new RunNotStarted.EngineUnavailable(runId, "run " + runId + " failed: " + message, e);
        }
        try {
            runs.started(runId, new ProcessInstanceRef(instance.getBpmnProcessId(), instance.getProcessDefinitionKey(),
                    instance.getProcessInstanceKey(), instance.getVersion()));
            if (deployed.isEmpty()) {
                // started by process id: a definition this instance deployed at start-up has its XML kept too
                deployer.xmlSha256(instance.getProcessDefinitionKey()).ifPresent(sha -> processes.runsXml(runId, sha));
            }
            return run(runId);
        } catch (RuntimeException e) {
            // The process runs: a failure to record its key must not fail the run. Its first job or
            // its end attaches the key by the run id.
            LOG.warn("run {} started process instance {} but could not record it yet; its first job will: {}",
                    runId, instance.getProcessInstanceKey(), e.getMessage());
            return masked(created);
        }
    }

    /** Deploys the template's BPMN resource, if it names one; its process as deployed. */
    private Optional<ProcessDeployer.DeployedProcess> deploy(TemplateDefinition template) {
        Optional<TemplateResources.Resource> resource = resources.bpmn(template);
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        List<ProcessDeployer.DeployedProcess> deployed;
        try {
            deployed = deployer.deploy(resource.get().name(), resource.get().content(), template.processId());
        } catch (dev.portal.scaffolder.template.TemplateException e) {
            throw new dev.portal.scaffolder.template.TemplateException(template.ref() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (EngineErrors.isInvalid(e)) {
                throw new dev.portal.scaffolder.template.TemplateException(template.ref() + ": the workflow engine refused "
                        + resource.get().name() + ": " + e.getMessage(), e);
            }
            LOG.warn("the workflow engine did not take {} of {}", resource.get().name(), template.ref(), e);
            throw new UnavailableException("the workflow engine did not take " + resource.get().name() + " of " + template.ref()
                    + ": " + EngineErrors.summary(e), e);
        }
        return Optional.of(deployed.stream().filter(process -> process.processId().equals(template.processId()))
                .findFirst()
                .orElseThrow(() -> new dev.portal.scaffolder.template.TemplateException(template.ref() + ": "
                        + resource.get().name() + " does not define the process '" + template.processId()
                        + "' that spec.workflow.processId names")));
    }

    /** The run, its secret values masked ({@link SecretBox#MASK}). */
    public Run run(UUID runId) {
        return runs.find(runId).map(Scaffolder::masked).orElseThrow(() -> new NotFoundException("no run with id " + runId));
    }

    /** A run as callers see it: sealed secrets shown as {@link SecretBox#MASK}, never as ciphertext. */
    static Run masked(Run run) {
        if (!SecretBox.containsSealed(run.values()) && !SecretBox.containsSealed(run.output())) {
            return run;
        }
        return new Run(run.id(), run.templateRef(), run.templateVersion(), run.processId(), run.processInstanceKey(),
                (ObjectNode) SecretBox.mask(run.values()), run.requester(), run.status(), run.failedStep(),
                run.errorMessage(), (ObjectNode) SecretBox.mask(run.output()), run.steps(), run.createdAt(),
                run.updatedAt(), run.finishedAt());
    }

    /**
     * The BPMN XML of the process a run's instance runs, for drawing it: kept in PostgreSQL when the
     * portal deployed it (so it draws after a restart and on every instance); for a run started by
     * process id from a definition deployed at start-up, what this instance's deployer remembers.
     * Empty for a process the portal did not deploy.
     */
    public Optional<String> processXml(UUID runId) {
        run(runId);
        return processes.xmlOfRun(runId).or(() -> runs.processDefinitionKey(runId).flatMap(deployer::processXml));
    }

    public List<Run> runs(Collection<RunStatus> statuses, Optional<String> requester, int limit, int offset) {
        return runs.list(statuses, requester, limit, offset).stream().map(Scaffolder::masked).toList();
    }

    public List<RunEvent> events(UUID runId, long after, int limit) {
        run(runId);
        return runs.events(runId, after, limit);
    }

    /** Cancels the run's process instance and marks the run cancelled. */
    public Run cancel(UUID runId, String by) {
        Run run = run(runId);
        if (run.status().isFinal()) {
            throw new ConflictException("run " + runId + " is " + run.status().wireName() + " and cannot be cancelled");
        }
        if (run.processInstanceKey().isEmpty() && run.status() != RunStatus.FAILED) {
            // cancelling the run alone would leave its instance running (the host that started it
            // may have died before recording it): wait until its first step or the sweep settles it
            throw new ConflictException("run " + runId + " is " + run.status().wireName() + " and its process instance is"
                    + " not recorded yet; try again in a moment");
        }
        run.processInstanceKey().ifPresent(key -> {
            try {
                client.newCancelInstanceCommand(key).send().join();
            } catch (RuntimeException e) {
                if (!EngineErrors.isNotFound(e)) {
                    LOG.warn("the workflow engine did not cancel run {}", runId, e);
                    throw new UnavailableException("the workflow engine did not cancel run " + runId + ": " + EngineErrors.summary(e), e);
                }
                // the instance ended in the meantime; the run is still cancelled unless it completed
            }
        });
        if (!runs.transition(runId, RunStatus.CANCELLED, "run cancelled by " + by)) {
            throw new ConflictException("run " + runId + " ended (" + run(runId).status().wireName() + ") before it could be cancelled");
        }
        cancelHooks.forEach(hook -> hook.accept(runId));
        try {
            workspaces.release(runId);
        } catch (RuntimeException e) {
            // an action may still be writing into it; the next run-end or a restart cleans up
        }
        return run(runId);
    }

    /**
     * Retries the failed step of a failed run: gives its job a retry and resolves its incident, so
     * Zeebe offers the job again.
     */
    public Run retry(UUID runId, String by) {
        Run run = run(runId);
        if (run.status() != RunStatus.FAILED || run.failedStep().isEmpty() || run.processInstanceKey().isEmpty()) {
            throw new ConflictException("run " + runId + " is " + run.status().wireName() + "; only a failed run with a failed step can be retried");
        }
        String step = run.failedStep().get();
        long instance = run.processInstanceKey().get();
        if (!incidents.supported()) {
            throw new ConflictException("step " + step + " of run " + runId + " cannot be retried through the portal: the"
                    + " Camunda cluster has no search API to find its incident; retry it in Operate");
        }
        Optional<Long> jobKey = runs.stepJobKey(runId, step);
        Optional<Long> jobIncident = jobKey.flatMap(key -> incidents.incidentOfJob(instance, key));
        // An incident no action raised (a failing input mapping, an uncaught BPMN error) has no job
        // to give retries to: resolving it makes Zeebe try the element again.
        long incident = jobIncident.or(() -> incidents.incidentAt(instance, step).map(IncidentLookup.OpenIncident::key))
                .orElseThrow(() -> new ConflictException("the engine shows no open incident for step " + step + " of run " + runId
                                + " (yet); try again in a moment"));
        // running first: a step that fails again at once must be able to fail the run again
        if (!runs.transitionFrom(runId, RunStatus.FAILED, RunStatus.RUNNING, "retry of " + step + " requested by " + by)) {
            throw new ConflictException("run " + runId + " is no longer failed");
        }
        runs.resolvedIncident(runId, incident);
        try {
            if (jobIncident.isPresent()) {
                client.newUpdateRetriesCommand(jobKey.get()).retries(1).send().join();
            }
            client.newResolveIncidentCommand(incident).send().join();
        } catch (RuntimeException e) {
            LOG.warn("the workflow engine did not retry step {} of run {}", step, runId, e);
            runs.incident(runId, step, "retry failed: " + EngineErrors.summary(e), -1);
            throw new UnavailableException("the workflow engine did not retry step " + step + " of run " + runId + ": "
                    + EngineErrors.summary(e), e);
        }
        return run(runId);
    }

    /** One file a dry run rendered: text as is, anything else base64. */
    public record DryRunFile(String path, long size, boolean base64, String content) {
    }

    /** What a dry run produced. */
    public record DryRunResult(List<DryRunFile> files, List<String> log, ObjectNode output) {
    }

    /**
     * Renders the template's skeleton with {@code values} into a temporary workspace and returns the
     * files; nothing is published, registered or started, and the workspace is deleted.
     */
    public DryRunResult dryRun(EntityRef templateRef, JsonNode values, String requester) {
        StoredEntity stored = templateEntity(templateRef);
        TemplateDefinition template = TemplateDefinition.of(stored.entity());
        ObjectNode validated = ParameterValidator.validate(template, values);
        ScaffolderAction<?, ?> fetch = actions.find(FETCH_TEMPLATE_ACTION).orElseThrow(() -> new ConflictException("dry runs need the " + FETCH_TEMPLATE_ACTION + " action, which is not registered"));
        Path workspace = workspaces.temporary();
        List<String> log = new ArrayList<>();
        ActionLog collecting = new ActionLog() {
            @Override
            public void info(String message) {
                log.add(message);
            }

            @Override
            public void warn(String message) {
                log.add("warning: " + message);
            }
        };
        try {
            RunInfo info = new RunInfo(UUID.randomUUID(), template, stored.etag() + "@dry-run", validated, requester);
            Object output = null;
            for (StepInputs.Step step : fetchSteps(template, validated, requester, log)) {
                ActionContext context = new ActionContext(info, step.elementId(), workspace, true, collecting);
                output = execute(fetch, JSON.convertValue(step.input(), fetch.inputType()), context);
            }
            return new DryRunResult(files(workspace), log, output == null ? JSON.createObjectNode() : JSON.valueToTree(output));
        } catch (ActionException e) {
            throw new dev.portal.scaffolder.action.ActionInputException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("dry run of " + templateRef + " failed: " + e.getMessage(), e);
        } finally {
            Workspaces.delete(workspace);
        }
    }

    /**
     * The fetch steps the template's process declares, with the inputs the real run's jobs would
     * carry (target folder, files copied without templating, ...): a preview that ignored them would
     * render what the run copies and fail where the run does not. Without a BPMN resource or a fetch
     * step, one step with the action's defaults.
     */
    private List<StepInputs.Step> fetchSteps(TemplateDefinition template, ObjectNode values, String requester, List<String> log) {
        Optional<TemplateResources.Resource> resource = resources.bpmn(template);
        if (resource.isPresent()) {
            ObjectNode variables = JSON.createObjectNode();
            variables.set("values", values);
            variables.put("templateRef", template.ref().canonical());
            variables.put("requester", requester);
            List<String> warnings = new ArrayList<>();
            List<StepInputs.Step> steps = StepInputs.of(resource.get().name(), resource.get().content(), FETCH_TEMPLATE_ACTION,
                    actions.find(FETCH_TEMPLATE_ACTION).orElseThrow().inputSchema(), variables, warnings);
            warnings.forEach(warning -> log.add("warning: " + warning));
            if (!steps.isEmpty()) {
                return steps;
            }
        }
        return List.of(new StepInputs.Step("dry-run", JSON.createObjectNode()));
    }

    /** Which run created an entity, from its provenance annotations. */
    public Optional<Run> createdBy(Entity entity) {
        return entity.annotation(Provenance.RUN_ID).flatMap(id -> {
            try {
                return runs.find(UUID.fromString(id)).map(Scaffolder::masked);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    private StoredEntity templateEntity(EntityRef ref) {
        StoredEntity stored = entities.byRef(ref).orElseThrow(() -> new NotFoundException("no template " + ref.canonical() + " in the catalog"));
        if (!"template".equalsIgnoreCase(stored.ref().kind())) {
            throw new NotFoundException(ref.canonical() + " is not a Template");
        }
        if (stored.orphan()) {
            throw new ConflictException(ref.canonical() + " is an orphan: the catalog location that provided it was deleted"
                    + " or no longer lists it, so it can no longer be started; register it again to use it");
        }
        return stored;
    }

    @SuppressWarnings("unchecked")
    private static <I, O> O execute(ScaffolderAction<I, O> action, Object input, ActionContext context) throws Exception {
        return action.execute((I) input, context);
    }

    private static List<DryRunFile> files(Path workspace) {
        try (Stream<Path> walk = Files.walk(workspace)) {
            return walk.filter(Files::isRegularFile).sorted().map(file -> {
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    String path = workspace.relativize(file).toString().replace('\\', '/');
                    Optional<String> text = text(bytes);
                    return new DryRunFile(path, bytes.length, text.isEmpty(),
                            text.orElseGet(() -> Base64.getEncoder().encodeToString(bytes)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
