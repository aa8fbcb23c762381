package dev.portal.scaffolder.zeebe;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientHttpException;
import io.camunda.client.api.command.ClientStatusException;
import io.camunda.client.api.search.enums.IncidentState;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.util.List;
import java.util.Optional;

/**
 * Looks incidents up through the orchestration cluster's search API (REST
 * {@code /v2/incidents/search}, Camunda 8.8 with secondary storage). Search results trail the
 * engine by the exporter's delay.
 *
 * <p>Whether the cluster has the search API is found out once, by the first lookup: a cluster that
 * answers 404/501/UNIMPLEMENTED, or has no REST endpoint where {@code camunda.client.rest-address}
 * points, has none. Then one warning says what that costs, and every later lookup answers "no open
 * incidents" without asking ({@link #supported()} is {@code false}). A lookup that fails otherwise
 * (a timeout, a 503) decides nothing and is asked again next time.
 */
public final class SearchApiIncidentLookup implements IncidentLookup {

    private static final Logger LOG = LoggerFactory.getLogger(SearchApiIncidentLookup.class);

    private final CamundaClient client;
    private volatile boolean absent;

    public SearchApiIncidentLookup(CamundaClient client) {
        this.client = client;
    }

    @Override
    public boolean supported() {
        return !absent;
    }

    @Override
    public List<OpenIncident> openIncidents(long processInstanceKey) {
        if (absent) {
            return List.of();
        }
        try {
            return client.newIncidentSearchRequest()
                    .filter(filter -> filter.processInstanceKey(processInstanceKey).state(IncidentState.ACTIVE))
                    .send().join()
                    .items().stream()
                    .map(incident -> new OpenIncident(incident.getIncidentKey(), incident.getElementId(),
                            Optional.ofNullable(incident.getJobKey()).filter(key -> key > 0), incident.getErrorMessage()))
                    .toList();
        } catch (RuntimeException e) {
            if (!hasNoSearchApi(e)) {
                throw e;
            }
            markAbsent(e);
            return List.of();
        }
    }

    private synchronized void markAbsent(RuntimeException e) {
        if (absent) {
            return;
        }
        absent = true;
        LOG.warn("The Camunda cluster has no search API ({}); the Scaffolder goes on without it: runs stuck in an"
                + " incident that no portal action raised (a failing FEEL mapping, an uncaught BPMN error) are not"
                + " marked failed, and failed steps are retried in Operate, not through the portal. The search API"
                + " comes with Camunda 8.8's orchestration cluster REST API and secondary storage; point"
                + " camunda.client.rest-address at it. This is not checked again until restart.", e.getMessage());
    }

    /** The cluster answered that it has no such endpoint, or has no REST endpoint at all. */
    static boolean hasNoSearchApi(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClientHttpException http && (http.code() == 404 || http.code() == 405 || http.code() == 501)) {
                return true;
            }
            if (cause instanceof ClientStatusException status && status.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return true;
            }
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
