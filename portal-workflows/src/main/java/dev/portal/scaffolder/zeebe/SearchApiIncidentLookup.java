package dev.portal.scaffolder.zeebe;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.search.enums.IncidentState;

import java.util.List;
import java.util.Optional;

/**
 * Looks incidents up through the orchestration cluster's search API (REST, Camunda 8.8 with
 * secondary storage). Search results trail the engine by the exporter's delay.
 */
public final class SearchApiIncidentLookup implements IncidentLookup {

    private final CamundaClient client;

    public SearchApiIncidentLookup(CamundaClient client) {
        this.client = client;
    }

    @Override
    public List<OpenIncident> openIncidents(long processInstanceKey) {
        return client.newIncidentSearchRequest()
                .filter(filter -> filter.processInstanceKey(processInstanceKey).state(IncidentState.ACTIVE))
                .send().join()
                .items().stream()
                .map(incident -> new OpenIncident(incident.getIncidentKey(), incident.getElementId(),
                        Optional.ofNullable(incident.getJobKey()).filter(key -> key > 0), incident.getErrorMessage()))
                .toList();
    }
}
