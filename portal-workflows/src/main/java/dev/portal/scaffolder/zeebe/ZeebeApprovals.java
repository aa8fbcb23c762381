package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalEngine;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.NewApprovalTask;
import dev.portal.catalog.model.EntityRef;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Approvals on Zeebe: a job worker for user tasks with the job-worker implementation (job type
 * {@code io.camunda.zeebe:userTask}, assignment in its headers) that records each task in the
 * {@link ApprovalInbox}, and the engine side of decisions (complete the job).
 *
 * <p>Holding a user-task job, safely with any number of instances:
 * <ul>
 * <li>A job is activated for a short {@code activationTimeout} (seconds). If the instance that took
 * it dies, or freezes, before the inbox recorded it, Zeebe offers it again after that timeout and
 * another instance records it: a waiting approval is back in the inbox within seconds.</li>
 * <li>If recording fails (a database error), the job is failed back at once with its retries
 * untouched and offered again after {@link #REDELIVERY_BACKOFF}: it is never acknowledged before
 * the inbox holds it.</li>
 * <li>Once recorded, the job's timeout is extended to the long {@code jobTimeout}, and every
 * reconcile (any instance, {@link #exists}) extends it again: recorded tasks are found in the
 * database, not by who holds the job, so the holder may die without consequence.</li>
 * <li>Recording is idempotent by job key (which Zeebe keeps across redeliveries), so a job recorded
 * twice, by a slow instance and by the one that took over, is one task. A decision is stored once
 * per job key before Zeebe hears of it and completes the job by its key, which works from any
 * instance, whoever holds the activation: two decisions of one task cannot both happen.</li>
 * </ul>
 */
public final class ZeebeApprovals implements ApprovalEngine, AutoCloseable {

    /** Task header that turns four-eyes off for one user task: {@code portal.fourEyes = false}. */
    public static final String FOUR_EYES_HEADER = "portal.fourEyes";

    /** Task header with the title an approver sees. */
    public static final String TITLE_HEADER = "portal.title";

    /** How long a user-task job waits before Zeebe offers it again, when the inbox could not record it. */
    public static final Duration REDELIVERY_BACKOFF = Duration.ofSeconds(1);

    /** Activation timeout when none is given: how soon a task the inbox has not recorded goes to another instance. */
    public static final Duration DEFAULT_ACTIVATION_TIMEOUT = Duration.ofSeconds(10);

    private static final String HEADER_PREFIX = "io.camunda.zeebe:";
    private static final String PORTAL_HEADER_PREFIX = "portal.";
    private static final Logger LOG = LoggerFactory.getLogger(ZeebeApprovals.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamundaClient client;
    private final Duration jobTimeout;
    private final Duration activationTimeout;
    private final boolean fourEyesByDefault;
    private final String workerName;
    private final boolean streamEnabled;
    private JobWorker worker;

    public ZeebeApprovals(CamundaClient client, Duration jobTimeout, boolean fourEyesByDefault, String workerName) {
        this(client, jobTimeout, fourEyesByDefault, workerName, true);
    }

    /** @param streamEnabled whether new user-task jobs are pushed to this worker (else it polls) */
    public ZeebeApprovals(CamundaClient client, Duration jobTimeout, boolean fourEyesByDefault, String workerName,
                          boolean streamEnabled) {
        this(client, jobTimeout, DEFAULT_ACTIVATION_TIMEOUT, fourEyesByDefault, workerName, streamEnabled);
    }

    /**
     * @param jobTimeout        how long a recorded task's job stays held (each reconcile extends it again)
     * @param activationTimeout how long a job stays with the instance that took it until the inbox recorded it
     */
    public ZeebeApprovals(CamundaClient client, Duration jobTimeout, Duration activationTimeout, boolean fourEyesByDefault,
                          String workerName, boolean streamEnabled) {
        if (activationTimeout.isNegative() || activationTimeout.isZero()) {
            throw new IllegalArgumentException("activation timeout must be positive, not " + activationTimeout);
        }
        this.streamEnabled = streamEnabled;
        this.client = client;
        this.jobTimeout = jobTimeout;
        this.activationTimeout = activationTimeout;
        this.fourEyesByDefault = fourEyesByDefault;
        this.workerName = workerName;
    }

    /** How long a user-task job stays with the instance that took it until the inbox recorded it. */
    public Duration activationTimeout() {
        return activationTimeout;
    }

    /** Starts taking user-task jobs into {@code inbox} (looked up lazily: the inbox needs this engine). */
    public synchronized void open(Supplier<ApprovalInbox> inbox) {
        if (worker != null) {
            return;
        }
        worker = client.newWorker()
                .jobType(ProcessDeployer.USER_TASK_JOB_TYPE)
                .handler((JobClient jobClient, ActivatedJob job) -> receivedOrHandedBack(jobClient, inbox, job))
                .name(workerName + "-approvals")
                // short until the task is in the inbox: a job activated but not yet recorded (a crash
                // in between) goes to another instance within seconds, not after the long job timeout
                .timeout(activationTimeout)
                .maxJobsActive(64)
                .pollInterval(Duration.ofMillis(100))
                .streamEnabled(streamEnabled)
                .open();
    }

    /**
     * Records the task, or hands the job back at once with its retries untouched (never one less,
     * which would end in an incident) so that it is offered again shortly, here or elsewhere. If
     * even that fails, the short activation timeout brings it back.
     */
    private void receivedOrHandedBack(JobClient jobClient, Supplier<ApprovalInbox> inbox, ActivatedJob job) {
        try {
            received(inbox.get(), job);
        } catch (RuntimeException e) {
            LOG.warn("user task job {} ({}) not recorded, offered again in {}: {}", job.getKey(), job.getElementId(),
                    REDELIVERY_BACKOFF, e.getMessage());
            try {
                jobClient.newFailCommand(job.getKey())
                        .retries(Math.max(job.getRetries(), 1))
                        .retryBackoff(REDELIVERY_BACKOFF)
                        .errorMessage("not recorded in the approval inbox yet: " + e.getMessage())
                        .send().join();
            } catch (RuntimeException failed) {
                LOG.warn("user task job {} could not be handed back either, it comes back in {}: {}", job.getKey(),
                        activationTimeout, failed.getMessage());
            }
        }
    }

    private void received(ApprovalInbox inbox, ActivatedJob job) {
        Object runId = job.getVariablesAsMap().get(ZeebeActionWorkers.RUN_ID_VARIABLE);
        if (runId == null) {
            // not a portal run: leave the task alone, held for the long job timeout rather than
            // offered to every instance again every few seconds
            LOG.warn("user task {} of process {} has no {} variable; it is not a portal run and is left undecided",
                    job.getElementId(), job.getBpmnProcessId(), ZeebeActionWorkers.RUN_ID_VARIABLE);
            exists(job.getKey());
            return;
        }
        Map<String, String> headers = job.getCustomHeaders();
        ObjectNode variables = variables(job);
        recordThenKeep(inbox, job, headers, variables);
    }

    private void recordThenKeep(ApprovalInbox inbox, ActivatedJob job, Map<String, String> headers, ObjectNode variables) {
        Object runId = job.getVariablesAsMap().get(ZeebeActionWorkers.RUN_ID_VARIABLE);
        inbox.received(new NewApprovalTask(job.getKey(), UUID.fromString(runId.toString()), job.getElementId(),
                job.getElementInstanceKey(), job.getProcessInstanceKey(),
                Optional.ofNullable(headers.get(TITLE_HEADER)).orElse(job.getElementId()),
                Optional.ofNullable(headers.get(HEADER_PREFIX + "formKey")),
                Optional.ofNullable(headers.get(HEADER_PREFIX + "assignee")).filter(s -> !s.isBlank()).map(ZeebeApprovals::user),
                list(headers.get(HEADER_PREFIX + "candidateUsers")).stream().map(ZeebeApprovals::user).toList(),
                list(headers.get(HEADER_PREFIX + "candidateGroups")).stream().map(ZeebeApprovals::group).toList(),
                dueDate(headers.get(HEADER_PREFIX + "dueDate")),
                variables,
                headers.containsKey(FOUR_EYES_HEADER) ? !"false".equalsIgnoreCase(headers.get(FOUR_EYES_HEADER).trim())
                        : fourEyesByDefault,
                portalHeaders(headers)));
        // recorded: now the job may stay held for the long timeout (if this fails, it comes back after
        // the short one, the inbox finds it recorded, and the extension is tried again)
        try {
            exists(job.getKey());
        } catch (RuntimeException e) {
            LOG.debug("could not extend user task job {} yet: {}", job.getKey(), e.getMessage());
        }
    }

    @Override
    public void complete(long jobKey, Map<String, Object> variables) {
        try {
            client.newCompleteCommand(jobKey).variables(variables).send().join();
        } catch (RuntimeException e) {
            if (EngineErrors.isNotFound(e)) {
                throw new JobGoneException(jobKey, e);
            }
            throw e;
        }
    }

    @Override
    public boolean exists(long jobKey) {
        try {
            client.newUpdateTimeoutCommand(jobKey).timeout(jobTimeout).send().join();
            return true;
        } catch (RuntimeException e) {
            if (EngineErrors.isNotFound(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    private static ObjectNode variables(ActivatedJob job) {
        try {
            JsonNode node = JSON.readTree(job.getVariables());
            return node.isObject() ? (ObjectNode) node : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** The task's own headers ({@code portal.*}), kept with the task for what happens after its job is gone. */
    private static Map<String, String> portalHeaders(Map<String, String> headers) {
        Map<String, String> portal = new TreeMap<>();
        headers.forEach((key, value) -> {
            if (key.startsWith(PORTAL_HEADER_PREFIX) && value != null) {
                portal.put(key, value);
            }
        });
        return portal;
    }

    /** Zeebe writes candidate lists as JSON arrays (from FEEL lists or comma-separated static values). */
    private static List<String> list(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        try {
            JsonNode node = JSON.readTree(header);
            List<String> values = new ArrayList<>();
            if (node.isArray()) {
                node.forEach(value -> values.add(value.asText()));
                return values;
            }
        } catch (JsonProcessingException e) {
            // a plain comma-separated list
        }
        return List.of(header.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static EntityRef user(String value) {
        return EntityRef.parse(value.trim(), "user", EntityRef.DEFAULT_NAMESPACE);
    }

    private static EntityRef group(String value) {
        return EntityRef.parse(value.trim(), "group", EntityRef.DEFAULT_NAMESPACE);
    }

    private static Optional<OffsetDateTime> dueDate(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(header));
        } catch (DateTimeParseException e) {
            // a FEEL date-time in a region zone, as now() gives it: 2026-01-01T10:00:00Z[UTC]
            try {
                return Optional.of(java.time.ZonedDateTime.parse(header).toOffsetDateTime());
            } catch (DateTimeParseException notZoned) {
                LOG.warn("user task due date '{}' is not an ISO 8601 date-time; the task has none", header);
                return Optional.empty();
            }
        }
    }
}
