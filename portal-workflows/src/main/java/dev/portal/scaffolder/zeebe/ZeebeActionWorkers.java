package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.action.ElementTemplates;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.run.ProcessInstanceRef;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.run.StepJob;
import dev.portal.scaffolder.run.StepOutcome;
import dev.portal.scaffolder.run.StepRunner;
import dev.portal.scaffolder.run.Workspaces;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one adapter between Zeebe and the portal's actions: a job worker per registered action (job
 * type = action id) that hands each job to the {@link StepRunner} and answers Zeebe with the
 * outcome: complete with the output, throw a BPMN error for a business outcome, or fail the job
 * (retries, then an incident). A second kind of worker hears the end of every run's process (the
 * execution listener {@link ProcessDeployer} adds) and completes the run.
 *
 * <p>A process ends its run as {@code rejected} or {@code failed} (after compensating, say) by
 * setting {@value #OUTCOME_VARIABLE}; otherwise the run is {@code completed}.
 *
 * <p>An action's input is read from the task's headers (static values from the Modeler) and from
 * the variables named in its input schema (input mappings), variables winning.
 *
 * <p>Actions run on threads of their own ({@link WorkerSettings#threads()} at most at once), not on
 * the Camunda client's job-handler thread, which every worker of the client (approvals included)
 * shares: a push to a slow git host never delays another run's step or approval. A job that
 * arrives while every action thread is busy is handed back to Zeebe at once with its retries
 * untouched ({@link #BUSY_BACKOFF}), so it neither waits in a queue here (lost for its whole
 * timeout if this host dies) nor keeps an instance with free threads from taking it.
 *
 * <p>An attempt that runs longer than its {@link WorkerSettings#maxActionTimeOf maximum time} is
 * given up: its heartbeat stops, its thread is interrupted and its slot freed (a thread that
 * ignores the interrupt no longer counts against {@link WorkerSettings#threads()}), and the job is
 * failed as if the action had thrown. Whatever the action does afterwards does not settle the job
 * or the step: each attempt is settled exactly once, by its outcome or by giving it up.
 */
public final class ZeebeActionWorkers implements AutoCloseable {

    /** The process variable that ties a process instance to its run. */
    public static final String RUN_ID_VARIABLE = "portalRunId";

    /** Job type of the execution listener on every run's process end. */
    public static final String RUN_END_JOB_TYPE = "portal.run-end";

    /**
     * Process variable a process may set to end a run as {@code rejected} rather than
     * {@code completed} (e.g. on the rejection branch of an approval).
     */
    public static final String OUTCOME_VARIABLE = "portalOutcome";

    /**
     * Task header naming a BPMN error code to throw when the step fails for good (its retries are
     * used up, or its input can never work) instead of raising an incident: the process can then
     * catch it and compensate what earlier steps created. Like every BPMN error the adapter throws
     * (an action's business outcome too), it carries the variables {@value #FAILURE_VARIABLE} (the
     * message) and {@value #FAILED_STEP_VARIABLE} (the element id).
     */
    public static final String FAILURE_ERROR_HEADER = ElementTemplates.FAILURE_ERROR_HEADER;

    /** The failure message of a step that failed for good and threw {@link #FAILURE_ERROR_HEADER}'s error. */
    public static final String FAILURE_VARIABLE = "portalFailure";

    /** The element id of that step. */
    public static final String FAILED_STEP_VARIABLE = "portalFailedStep";

    /** How long a job handed back because every action thread was busy waits before Zeebe offers it again. */
    public static final Duration BUSY_BACKOFF = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ZeebeActionWorkers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamundaClient client;
    private final StepRunner runner;
    private final RunStore runs;
    private final Workspaces workspaces;
    private final WorkerSettings settings;
    private final List<JobWorker> workers = new ArrayList<>();
    private final Semaphore slots;
    private ExecutorService actionThreads;
    private ScheduledExecutorService heartbeats;

    public ZeebeActionWorkers(CamundaClient client, StepRunner runner, RunStore runs, Workspaces workspaces,
                              WorkerSettings settings) {
        this.client = client;
        this.runner = runner;
        this.runs = runs;
        this.workspaces = workspaces;
        this.settings = settings;
        this.slots = new Semaphore(settings.threads());
    }

    /** How the workers are set up. */
    public WorkerSettings settings() {
        return settings;
    }

    /** Opens the workers; jobs start arriving at once. */
    public synchronized void open() {
        if (!workers.isEmpty()) {
            return;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        // as many threads as there are live attempts: the slots bound them, and an attempt given up
        // whose thread ignores the interrupt gives its slot to a new thread
        actionThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "portal-action-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "portal-action-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        // never hold more jobs of one type than can run: the rest stay with Zeebe for other instances
        int maxJobsActive = Math.min(settings.maxJobsActive(), settings.threads());
        for (ScaffolderAction<?, ?> action : runner.actions().all()) {
            List<String> variables = new ArrayList<>();
            variables.add(RUN_ID_VARIABLE);
            action.inputSchema().path("properties").fieldNames().forEachRemaining(variables::add);
            workers.add(worker(action.id(), variables, settings.timeoutOf(action.id()), maxJobsActive,
                    (jobClient, job) -> dispatch(jobClient, job, action)));
        }
        workers.add(worker(RUN_END_JOB_TYPE, List.of(RUN_ID_VARIABLE, OUTCOME_VARIABLE, FAILURE_VARIABLE, FAILED_STEP_VARIABLE,
                        "approver", "approvalComment"), settings.timeout(), settings.maxJobsActive(),
                this::handleRunEnd));
    }

    private JobWorker worker(String type, List<String> variables, Duration timeout, int maxJobsActive,
                             io.camunda.client.api.worker.JobHandler handler) {
        return client.newWorker()
                .jobType(type)
                .handler(handler)
                .name(settings.name())
                .timeout(timeout)
                .maxJobsActive(maxJobsActive)
                .pollInterval(settings.pollInterval())
                .fetchVariables(variables)
                .streamEnabled(settings.streamEnabled())
                .open();
    }

    /** On the client's job-handler thread: hands the job to an action thread, or back to Zeebe when all are busy. */
    private void dispatch(JobClient jobClient, ActivatedJob job, ScaffolderAction<?, ?> action) {
        ExecutorService threads = actionThreads;
        if (threads == null || !slots.tryAcquire()) {
            jobClient.newFailCommand(job.getKey())
                    .retries(job.getRetries())
                    .retryBackoff(BUSY_BACKOFF)
                    .errorMessage("all " + settings.threads() + " action threads of worker '" + settings.name()
                            + "' were busy; offered again")
                    .send();
            return;
        }
        Attempt attempt = new Attempt(slots);
        try {
            Future<?> running = threads.submit(() -> {
                try {
                    handleAction(jobClient, job, action, attempt);
                } catch (RuntimeException e) {
                    if (attempt.givenUp()) {
                        LOG.debug("job {} ({} at {}) failed after it was given up", job.getKey(), job.getType(),
                                job.getElementId(), e);
                    } else {
                        // what the client does with a handler's exception: fail the job, one retry less
                        LOG.warn("job {} ({} at {}) could not be handled", job.getKey(), job.getType(), job.getElementId(), e);
                        failQuietly(jobClient, job, Math.max(job.getRetries() - 1, 0), String.valueOf(e.getMessage()));
                    }
                } finally {
                    attempt.end();
                }
            });
            // the deadline only hands the giving up to an action thread: failing the job waits on the
            // database and the engine, and the heartbeats of every other job share this scheduler
            attempt.watch(heartbeat(job, action.id()), heartbeats.schedule(() -> {
                try {
                    threads.execute(() -> giveUp(jobClient, job, action, attempt, running));
                } catch (RejectedExecutionException e) {
                    // closing: the job comes back after its timeout
                }
            }, settings.maxActionTimeOf(action.id()).toMillis(), TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // closing: the job comes back after its timeout
            attempt.end();
        }
    }

    /**
     * The attempt ran longer than its action may: stops extending the job, interrupts the action,
     * frees its slot and fails the job as {@link #handleAction} fails it for an action that threw.
     */
    private void giveUp(JobClient jobClient, ActivatedJob job, ScaffolderAction<?, ?> action, Attempt attempt,
                        Future<?> running) {
        if (!attempt.giveUp()) {
            return;
        }
        attempt.stopHeartbeat();
        running.cancel(true);
        attempt.releaseSlot();
        String setting = settings.maxActionTimes().containsKey(action.id())
                ? "portal.scaffolder.worker.max-action-times[" + action.id() + "]"
                : "portal.scaffolder.worker.max-action-time";
        String message = job.getElementId() + " (" + action.id() + ") did not finish within "
                + shortly(settings.maxActionTimeOf(action.id())) + ", the longest an attempt of it may run ("
                + setting + "); it was interrupted";
        LOG.warn("job {}: {}", job.getKey(), message);
        try {
            UUID runId = runId(job);
            if (runId == null) {
                fail(jobClient, job, Math.max(job.getRetries() - 1, 0), message);
                return;
            }
            StepJob step = step(runId, job, action);
            int attemptNumber = runs.runningAttempt(runId, job.getElementId(), job.getKey()).orElse(0);
            settleFailed(jobClient, job, step, new StepOutcome.Failed(message, true, attemptNumber));
        } catch (RuntimeException e) {
            LOG.warn("job {} was given up but could not be failed; it comes back after its timeout: {}", job.getKey(),
                    e.getMessage());
        }
    }

    /** A duration as it is written in the property: {@code 30m}, {@code 2h}, {@code 1500ms}. */
    static String shortly(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }

    /**
     * One delivery of a job to an action thread. It is settled once: by the action's outcome, or by
     * {@link #giveUp}, whichever comes first; its slot is released once.
     */
    private static final class Attempt {

        private final Semaphore slots;
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile boolean givenUp;
        private boolean ended;
        private boolean slotReleased;
        private ScheduledFuture<?> heartbeat;
        private ScheduledFuture<?> deadline;

        Attempt(Semaphore slots) {
            this.slots = slots;
        }

        /** Whether the caller settles the job with the action's outcome: true unless it was settled before. */
        boolean settle() {
            return settled.compareAndSet(false, true);
        }

        /** Whether the caller settles the job by giving the attempt up: true unless it was settled before. */
        boolean giveUp() {
            givenUp = settled.compareAndSet(false, true);
            return givenUp;
        }

        boolean givenUp() {
            return givenUp;
        }

        /** Its heartbeat and deadline, scheduled once the action was handed to its thread. */
        synchronized void watch(ScheduledFuture<?> heartbeat, ScheduledFuture<?> deadline) {
            this.heartbeat = heartbeat;
            this.deadline = deadline;
            if (ended) {
                heartbeat.cancel(false);
                deadline.cancel(false);
            }
        }

        synchronized void stopHeartbeat() {
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
        }

        synchronized void releaseSlot() {
            if (!slotReleased) {
                slotReleased = true;
                slots.release();
            }
        }

        /** The action's thread is done with the job (or never got it). */
        synchronized void end() {
            ended = true;
            stopHeartbeat();
            if (deadline != null) {
                deadline.cancel(false);
            }
            releaseSlot();
        }
    }

    /**
     * Extends the job's timeout while its action runs, so that only a dead host loses it. A failed
     * extension is only logged: the next one may succeed, and if none does the job goes to another
     * instance when it times out, which is what should happen to a host cut off from the engine.
     */
    private ScheduledFuture<?> heartbeat(ActivatedJob job, String actionId) {
        Duration timeout = settings.timeoutOf(actionId);
        long every = Math.max(settings.heartbeatOf(actionId).toMillis(), 1);
        return heartbeats.scheduleAtFixedRate(() -> client.newUpdateTimeoutCommand(job.getKey()).timeout(timeout).send()
                        .whenComplete((response, failure) -> {
                            if (failure != null) {
                                LOG.debug("could not extend job {} ({} at {}): {}", job.getKey(), actionId,
                                        job.getElementId(), failure.getMessage());
                            }
                        }),
                every, every, TimeUnit.MILLISECONDS);
    }

    private void failQuietly(JobClient jobClient, ActivatedJob job, int retriesLeft, String message) {
        try {
            fail(jobClient, job, retriesLeft, message);
        } catch (RuntimeException e) {
            LOG.warn("job {} could not be failed either, it comes back after its timeout: {}", job.getKey(), e.getMessage());
        }
    }

    private void handleAction(JobClient jobClient, ActivatedJob job, ScaffolderAction<?, ?> action, Attempt attempt) {
        UUID runId = runId(job);
        if (runId == null) {
            if (attempt.settle()) {
                fail(jobClient, job, 0, "job " + job.getKey() + " (" + job.getType() + " at " + job.getElementId()
                        + ") has no " + RUN_ID_VARIABLE + " variable: start templates through the Scaffolder API");
            }
            return;
        }
        StepJob step = step(runId, job, action);
        StepOutcome outcome = runner.run(step);
        if (!attempt.settle()) {
            LOG.info("job {} ({} at {}) ended after it was given up; its outcome is dropped: {}", job.getKey(),
                    action.id(), job.getElementId(), outcome.getClass().getSimpleName());
            return;
        }
        switch (outcome) {
            case StepOutcome.Completed completed ->
                    jobClient.newCompleteCommand(job.getKey()).variables(write(completed.output())).send().join();
            case StepOutcome.BusinessError error -> jobClient.newThrowErrorCommand(job.getKey())
                    .errorCode(error.errorCode()).errorMessage(error.message())
                    .variables(Map.of(FAILURE_VARIABLE, Objects.toString(error.message(), ""), FAILED_STEP_VARIABLE,
                            job.getElementId()))
                    .send().join();
            case StepOutcome.Failed failed -> settleFailed(jobClient, job, step, failed);
        }
    }

    private StepJob step(UUID runId, ActivatedJob job, ScaffolderAction<?, ?> action) {
        return new StepJob(runId, job.getElementId(), action.id(), job.getElementInstanceKey(), job.getKey(),
                job.getDeadline(), input(job, action), Optional.of(instance(job)));
    }

    /** Fails the job: a retry, the BPMN error its task names for a step that failed for good, or an incident. */
    private void settleFailed(JobClient jobClient, ActivatedJob job, StepJob step, StepOutcome.Failed failed) {
        int retriesLeft = failed.retryable() ? Math.max(job.getRetries() - 1, 0) : 0;
        String failureError = job.getCustomHeaders().get(FAILURE_ERROR_HEADER);
        if (retriesLeft == 0 && failed.attempt() > 0 && failureError != null && !failureError.isBlank()) {
            runner.recordError(step, failureError.strip(), failed);
            jobClient.newThrowErrorCommand(job.getKey())
                    .errorCode(failureError.strip()).errorMessage(failed.message())
                    .variables(Map.of(FAILURE_VARIABLE, Objects.toString(failed.message(), ""),
                            FAILED_STEP_VARIABLE, job.getElementId()))
                    .send().join();
            return;
        }
        if (failed.attempt() > 0) {
            runner.recordFailure(step, failed, retriesLeft);
        }
        fail(jobClient, job, retriesLeft, failed.message());
    }

    private void handleRunEnd(JobClient jobClient, ActivatedJob job) {
        UUID runId = runId(job);
        if (runId != null) {
            // a start that did not record its instance (the host died in between): this is it, if it
            // is the run's own process (attach checks the process id)
            runs.attach(runId, instance(job));
        }
        // a called process inherits portalRunId; only the run's own process ends the run
        boolean ownProcess = runId != null && runs.find(runId).flatMap(run -> run.processInstanceKey())
                .filter(key -> key == job.getProcessInstanceKey()).isPresent();
        if (ownProcess) {
            Map<String, Object> variables = job.getVariablesAsMap();
            Object outcome = variables.get(OUTCOME_VARIABLE);
            if ("failed".equals(outcome)) {
                Object step = variables.get(FAILED_STEP_VARIABLE);
                Object message = variables.get(FAILURE_VARIABLE);
                runs.finishFailed(runId, step == null ? null : step.toString(),
                        message == null ? "the process ended as failed" : message.toString());
            } else if ("rejected".equals(outcome)) {
                // the decision that ended the run, as the approval steps leave it
                Object approver = variables.get("approver");
                Object comment = variables.get("approvalComment");
                runs.transition(runId, RunStatus.REJECTED, "run rejected" + (approver == null ? "" : " by " + approver)
                        + (comment == null || comment.toString().isBlank() ? "" : ": " + comment));
            } else {
                runs.transition(runId, RunStatus.COMPLETED, "run " + RunStatus.COMPLETED.wireName());
            }
            workspaces.release(runId);
        }
        jobClient.newCompleteCommand(job.getKey()).send().join();
    }

    private void fail(JobClient jobClient, ActivatedJob job, int retriesLeft, String message) {
        jobClient.newFailCommand(job.getKey())
                .retries(retriesLeft)
                .retryBackoff(retriesLeft > 0 ? settings.retryBackoff() : Duration.ZERO)
                .errorMessage(message)
                .send().join();
    }

    private static ProcessInstanceRef instance(ActivatedJob job) {
        return new ProcessInstanceRef(job.getBpmnProcessId(), job.getProcessDefinitionKey(), job.getProcessInstanceKey(),
                job.getProcessDefinitionVersion());
    }

    private static UUID runId(ActivatedJob job) {
        Object value = job.getVariablesAsMap().get(RUN_ID_VARIABLE);
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value.toString());
        } catch (IllegalArgumentException e) {
            LOG.warn("job {} carries {}='{}', which is not a run id", job.getKey(), RUN_ID_VARIABLE, value);
            return null;
        }
    }

    /** Headers first, then variables of the same names (input mappings), for the schema's properties. */
    static ObjectNode input(ActivatedJob job, ScaffolderAction<?, ?> action) {
        ObjectNode input = JSON.createObjectNode();
        JsonNode properties = action.inputSchema().path("properties");
        for (Map.Entry<String, String> header : job.getCustomHeaders().entrySet()) {
            JsonNode property = properties.get(header.getKey());
            if (property != null) {
                input.set(header.getKey(), headerValue(header.getValue(), property));
            }
        }
        try {
            JsonNode variables = JSON.readTree(job.getVariables());
            Iterator<String> names = properties.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (variables.has(name) && !variables.get(name).isNull()) {
                    input.set(name, variables.get(name));
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job " + job.getKey() + " has unreadable variables", e);
        }
        return input;
    }

    /** A header is a string; for a property of another type it holds JSON (e.g. {@code true}, {@code ["a"]}). */
    private static JsonNode headerValue(String value, JsonNode property) {
        if ("string".equals(property.path("type").asText())) {
            return JSON.getNodeFactory().textNode(value);
        }
        try {
            return JSON.readTree(value);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(value);
        }
    }

    private static String write(ObjectNode output) {
        try {
            return JSON.writeValueAsString(output);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        workers.forEach(JobWorker::close);
        workers.clear();
        if (actionThreads != null) {
            // running actions finish (a push half done is worse than a shutdown that waits a little);
            // whatever is still running after that comes back to another instance after its job timeout
            actionThreads.shutdown();
            try {
                if (!actionThreads.awaitTermination(10, TimeUnit.SECONDS)) {
                    actionThreads.shutdownNow();
                }
            } catch (InterruptedException e) {
                actionThreads.shutdownNow();
                Thread.currentThread().interrupt();
            }
            actionThreads = null;
        }
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
    }
}
