package dev.portal.scaffolder.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import dev.portal.catalog.model.Entity;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.template.JsonSchemas;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one step of a run with an action, engine-free: validates the input against the action's
 * schema, replays the recorded output of a step that already completed (Zeebe delivers jobs at least
 * once), records the outcome and the step's log lines, and says how the step ended.
 */
public final class StepRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

    private final ActionRegistry actions;
    private final RunStore runs;
    private final Workspaces workspaces;
    private final ObjectMapper mapper;
    private final Map<String, JsonSchema> inputSchemas = new ConcurrentHashMap<>();

    public StepRunner(ActionRegistry actions, RunStore runs, Workspaces workspaces) {
        this.actions = actions;
        this.runs = runs;
        this.workspaces = workspaces;
        this.mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public ActionRegistry actions() {
        return actions;
    }

    public StepOutcome run(StepJob job) {
        Optional<ScaffolderAction<?, ?>> found = actions.find(job.action());
        if (found.isEmpty()) {
            return new StepOutcome.Failed("no action '" + job.action() + "' is registered", false, 0);
        }
        Optional<Run> run = runs.find(job.runId());
        if (run.isEmpty()) {
            return new StepOutcome.Failed("run " + job.runId() + " is unknown to this portal; start templates through the Scaffolder API",
                    false, 0);
        }
        if (run.get().processInstanceKey().isEmpty() && job.instance().isPresent()) {
            // the start did not record the instance (the host died in between): this job's instance is it
            runs.attach(job.runId(), job.instance().get());
        }
        StepStart start = runs.beginStep(job.runId(), job.stepId(), job.action(), job.elementInstanceKey(), job.jobKey(),
                job.activation());
        if (start.recordedOutput().isPresent()) {
            return new StepOutcome.Completed(start.recordedOutput().get(), true);
        }
        ScaffolderAction<?, ?> action = found.get();
        StepLog log = new StepLog(runs, job, start.attempt(), start.delivery());
        try {
            Object input = input(action, job);
            RunInfo info = runInfo(run.get());
            ActionContext context = new ActionContext(info, job.stepId(), workspaces.forRun(job.runId()), false, log);
            ObjectNode output = output(execute(action, input, context));
            runs.completeStep(job.runId(), job.stepId(), start.attempt(), output);
            return new StepOutcome.Completed(output, false);
        } catch (ActionException e) {
            runs.stepError(job.runId(), job.stepId(), start.attempt(), e.errorCode(), e.getMessage());
            return new StepOutcome.BusinessError(e.errorCode(), e.getMessage());
        } catch (ActionInputException e) {
            return new StepOutcome.Failed(e.getMessage(), false, start.attempt());
        } catch (Exception e) {
            LOG.warn("step {} of run {} ({}) failed", job.stepId(), job.runId(), job.action(), e);
            return new StepOutcome.Failed(describe(e), true, start.attempt());
        }
    }

    /**
     * Records a step that failed for good as the BPMN error {@code errorCode} the process catches
     * (see {@code ZeebeActionWorkers#FAILURE_ERROR_HEADER}): the run goes on, to compensate.
     */
    public void recordError(StepJob job, String errorCode, StepOutcome.Failed failure) {
        runs.stepError(job.runId(), job.stepId(), failure.attempt(), errorCode, failure.message());
    }

    /** Records a failure once the adapter knows how many retries the engine has left. */
    public void recordFailure(StepJob job, StepOutcome.Failed failure, int retriesLeft) {
        runs.failStep(job.runId(), job.stepId(), failure.attempt(), failure.message(), retriesLeft, null);
    }

    /** The run as actions see it: its template is the one recorded when the run started. */
    public RunInfo runInfo(Run run) {
        ObjectNode document = runs.templateDocument(run.id()).orElseThrow();
        TemplateDefinition template = TemplateDefinition.of(Entity.of(document));
        return new RunInfo(run.id(), template, run.templateVersion(), run.values(), run.requester());
    }

    private Object input(ScaffolderAction<?, ?> action, StepJob job) {
        JsonSchema schema = inputSchemas.computeIfAbsent(action.id(),
                id -> JsonSchemas.compile(action.inputSchema(), "input schema of action " + id));
        List<String> problems = JsonSchemas.problems(schema, job.input(), "input");
        if (!problems.isEmpty()) {
            throw new ActionInputException("step " + job.stepId() + " (" + action.id() + "): "
                    + String.join("; ", problems));
        }
        try {
            return mapper.convertValue(job.input(), action.inputType());
        } catch (IllegalArgumentException e) {
            throw new ActionInputException("step " + job.stepId() + " (" + action.id() + "): input does not fit "
                    + action.inputType().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <I, O> O execute(ScaffolderAction<I, O> action, Object input, ActionContext context) throws Exception {
        return action.execute((I) input, context);
    }

    private ObjectNode output(Object result) {
        if (result == null) {
            return mapper.createObjectNode();
        }
        JsonNode node = mapper.valueToTree(result);
        if (!node.isObject()) {
            throw new IllegalStateException("an action's output must be an object, not " + node.getNodeType());
        }
        ObjectNode output = (ObjectNode) node;
        output.remove(output.properties().stream().filter(e -> e.getValue().isNull()).map(Map.Entry::getKey).toList());
        return output;
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
    }

    /** Numbers the lines of one delivery of an attempt. */
    private static final class StepLog implements ActionLog {
        private final RunStore runs;
        private final StepJob job;
        private final int attempt;
        private final int delivery;
        private final AtomicInteger sequence = new AtomicInteger();

        StepLog(RunStore runs, StepJob job, int attempt, int delivery) {
            this.runs = runs;
            this.job = job;
            this.attempt = attempt;
            this.delivery = delivery;
        }

        @Override
        public void info(String message) {
            runs.log(job.runId(), job.stepId(), attempt, delivery, sequence.incrementAndGet(), "info", message);
        }

        @Override
        public void warn(String message) {
            runs.log(job.runId(), job.stepId(), attempt, delivery, sequence.incrementAndGet(), "warn", message);
        }
    }
}
