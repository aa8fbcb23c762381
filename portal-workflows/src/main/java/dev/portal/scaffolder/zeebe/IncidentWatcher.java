package dev.portal.scaffolder.zeebe;

import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * Fails runs whose process is stuck in an incident that no portal action raised: an input mapping
 * whose FEEL expression fails, a BPMN error nobody catches, a job of another worker out of
 * retries. Without it such a run would look "running" forever. Action failures are recorded by the
 * adapter when they happen; this sweep catches the rest.
 */
public final class IncidentWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentWatcher.class);
    private static final int BATCH = 500;

    private final RunStore runs;
    private final IncidentLookup incidents;

    public IncidentWatcher(RunStore runs, IncidentLookup incidents) {
        this.runs = runs;
        this.incidents = incidents;
    }

    /** Checks every active run once; returns how many it marked failed. */
    public int sweep() {
        int failed = 0;
        List<Run> active = runs.list(List.of(RunStatus.RUNNING, RunStatus.WAITING_FOR_APPROVAL), Optional.empty(), BATCH, 0);
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
                LOG.warn("cannot look up incidents of run {}: {}", run.id(), e.getMessage());
            }
        }
        return failed;
    }
}
