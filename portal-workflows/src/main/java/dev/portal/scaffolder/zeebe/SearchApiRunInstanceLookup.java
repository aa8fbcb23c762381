package dev.portal.scaffolder.zeebe;

import dev.portal.scaffolder.run.ProcessInstanceRef;
import io.camunda.client.CamundaClient;
import io.camunda.client.api.search.response.ProcessInstance;
import io.camunda.client.api.search.response.Variable;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds a run's instance through the orchestration cluster's search API: the variable
 * {@value ZeebeActionWorkers#RUN_ID_VARIABLE} with the run id at an instance's root, then that
 * instance. Search results trail the engine by the exporter's delay; a cluster without the search
 * API finds nothing (the sweep then ends the run as failed, and its first job brings it back).
 */
public final class SearchApiRunInstanceLookup implements RunInstanceLookup {

    private final CamundaClient client;
    private volatile boolean absent;

    public SearchApiRunInstanceLookup(CamundaClient client) {
        this.client = client;
    }

    @Override
    public Optional<ProcessInstanceRef> find(UUID runId, String processId) {
        if (absent) {
            return Optional.empty();
        }
        try {
            for (Variable variable : client.newVariableSearchRequest()
                    .filter(filter -> filter.name(ZeebeActionWorkers.RUN_ID_VARIABLE).value("\"" + runId + "\""))
                    .send().join().items()) {
                if (!Objects.equals(variable.getScopeKey(), variable.getProcessInstanceKey())) {
                    continue;
                }
                ProcessInstance instance = client.newProcessInstanceGetRequest(variable.getProcessInstanceKey()).send().join();
                if (processId.equals(instance.getProcessDefinitionId()) && (instance.getParentProcessInstanceKey() == null
                        || instance.getParentProcessInstanceKey() < 0)) {
                    return Optional.of(new ProcessInstanceRef(instance.getProcessDefinitionId(),
                            instance.getProcessDefinitionKey(), instance.getProcessInstanceKey(),
                            instance.getProcessDefinitionVersion()));
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            if (SearchApiIncidentLookup.hasNoSearchApi(e)) {
                // said once by the incident lookup; nothing to look up here either
                absent = true;
                return Optional.empty();
            }
            throw e;
        }
    }
}
