package dev.portal.scaffolder.zeebe;

import dev.portal.scaffolder.run.ProcessInstanceRef;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Fails runs whose process is stuck in an incident that no portal action raised: an input mapping
 * whose FEEL expression fails, a BPMN error nobody catches, a job of another worker out of
 * retries. Without it such a run would look "running" forever. Action failures are recorded by the
 * adapter when they happen; this sweep catches the rest.
 */
public final class IncidentWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentWatcher.class);
    private static final int BATCH = 500;

    /** How long a run may stay {@code starting} without an instance before the sweep ends it. */
    public static final Duration DEFAULT_START_GRACE = Duration.ofMinutes(2);

    private final RunStore runs;
    private final IncidentLookup incidents;
    private final Duration startGrace;
    private final RunInstanceLookup instances;
    private volatile boolean failing;

    public IncidentWatcher(RunStore runs, IncidentLookup incidents) {
        this(runs, incidents, DEFAULT_START_GRACE, RunInstanceLookup.NONE);
    }

    public IncidentWatcher(RunStore runs, IncidentLookup incidents, Duration startGrace) {
        this(runs, incidents, startGrace, RunInstanceLookup.NONE);
    }

    /**
     * @param startGrace how long a run may stay {@code starting} with no process instance recorded
     *                   before it is looked up by its run id, or ended as failed (longer than the
     *                   engine's request timeout)
     * @param instances  where such a run's instance is looked up
     */
    public IncidentWatcher(RunStore runs, IncidentLookup incidents, Duration startGrace, RunInstanceLookup instances) {
        this.runs = runs;
        this.incidents = incidents;
        this.startGrace = startGrace;
        this.instances = instances;
    }

    /**
     * Checks every active run once, and ends runs whose start never got an instance; returns how
     * many it marked failed.
     */
    public int sweep() {
        int failed = abandonedStarts();
        if (!incidents.supported()) {
            return failed;
        }
        List<Run> active = runs.list(List.of(RunStatus.RUNNING, RunStatus.WAITING_FOR_APPROVAL), Optional.empty(), BATCH, 0);
        int unreadable = 0;
        String problem = null;
        for (Run run : active) {
            if (run.processInstanceKey().isEmpty()) {
                continue;
            }
            try {
                for (IncidentLookup.OpenIncident incident : incidents.openIncidents(run.processInstanceKey().get())) {
                    if (runs.incident(run.id(), incident.elementId(), incident.message(), incident.key())) {
                        failed++;
                    }
                }
            } catch (RuntimeException e) {
                unreadable++;
                problem = e.getMessage();
            }
        }
        // one line when lookups start failing and one when they work again, not one per run and sweep
        if (unreadable > 0 && !failing) {
            LOG.warn("cannot look up incidents ({} of {} active runs): {}; retrying quietly every sweep", unreadable,
                    active.size(), problem);
        } else if (unreadable == 0 && failing) {
            LOG.info("incident lookups work again");
        }
        failing = unreadable > 0;
        return failed;
    }

    /**
     * A run still {@code starting} with no instance after the grace period: the host died between
     * creating the instance and recording it (and the instance has reached no job yet: a timer
     * first), or before the engine was asked. Its instance is looked up by the run id it carries and
     * attached; a run without one ends as failed (should its instance run after all, its first job
     * brings it back, {@link RunStore#attach}).
     */
    private int abandonedStarts() {
        int failed = 0;
        for (UUID runId : runs.startingSince(OffsetDateTime.now().minus(startGrace), BATCH)) {
            Optional<Run> run = runs.find(runId);
            if (run.isEmpty()) {
                continue;
            }
            Optional<ProcessInstanceRef> instance;
            try {
                instance = instances.find(runId, run.get().processId());
            } catch (RuntimeException e) {
                // the engine did not answer: ask again at the next sweep rather than fail a run that may run
                continue;
            }
            if (instance.isPresent()) {
                runs.attach(runId, instance.get(), "process instance " + instance.get().processInstanceKey()
                        + " found by the run id it carries: the start did not record it");
            } else if (runs.failStart(runId, "no process instance was recorded within " + startGrace.toSeconds()
                    + " s of the start, and the engine knows none with this run's id (the host may have stopped before"
                    + " the engine was asked); should the instance run after all, its first step brings the run back")) {
                failed++;
            }
        }
        return failed;
    }
}
