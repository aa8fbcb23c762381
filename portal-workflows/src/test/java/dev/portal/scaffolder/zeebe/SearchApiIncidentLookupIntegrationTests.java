package dev.portal.scaffolder.zeebe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.error.ConflictException;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cluster without the search API: found out once, then the sweep stops asking. The in-JVM engine
 * runs the process (gRPC); a small HTTP server plays the cluster's REST side.
 */
class SearchApiIncidentLookupIntegrationTests {

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static Run waiting;

    HttpServer rest;
    CamundaClient client;
    final AtomicInteger searches = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
        Path folder = Files.createDirectories(dir.resolve("waits"));
        Files.writeString(folder.resolve("waits.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("waits")
                .startEvent().intermediateCatchEvent("tomorrow", event -> event.timerWithDuration("P1D")).endEvent().done()));
        Path file = CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: waits}
                spec: {type: service, workflow: {processId: waits, resource: waits.bpmn}}
                """);
        portal.catalog.register(CatalogTestSupport.fileLocation(file), Location.Origin.CONFIG);
        waiting = portal.scaffolder.start(EntityRef.parse("template:default/waits"), new ObjectMapper().createObjectNode(),
                "user:default/alice");
        portal.await(waiting.id(), run -> run.processInstanceKey().isPresent());
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @AfterEach
    void closeRest() {
        if (client != null) {
            client.close();
        }
        if (rest != null) {
            rest.stop(0);
        }
    }

    @Test
    void aClusterThatAnswers404IsAskedOnceAndTheSweepGoesOnWithoutIt() throws Exception {
        SearchApiIncidentLookup lookup = new SearchApiIncidentLookup(clientWithRest(404));
        IncidentWatcher watcher = new IncidentWatcher(portal.runs, lookup);

        assertThat(watcher.sweep()).isZero();
        assertThat(watcher.sweep()).isZero();
        assertThat(watcher.sweep()).isZero();

        assertThat(searches.get()).as("searches the cluster was asked").isEqualTo(1);
        assertThat(lookup.supported()).isFalse();
        assertThat(lookup.openIncidents(waiting.processInstanceKey().orElseThrow())).isEmpty();
        assertThat(searches.get()).isEqualTo(1);
    }

    @Test
    void aClusterWithoutARestEndpointHasNoSearchApi() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        client = client(URI.create("http://127.0.0.1:" + closedPort));
        SearchApiIncidentLookup lookup = new SearchApiIncidentLookup(client);

        assertThat(lookup.openIncidents(waiting.processInstanceKey().orElseThrow())).isEmpty();
        assertThat(lookup.supported()).isFalse();
    }

    @Test
    void aClusterThatIsBusyIsAskedAgainNextTime() throws Exception {
        SearchApiIncidentLookup lookup = new SearchApiIncidentLookup(clientWithRest(503));
        IncidentWatcher watcher = new IncidentWatcher(portal.runs, lookup);

        watcher.sweep();
        int first = searches.get();
        watcher.sweep();

        assertThat(lookup.supported()).isTrue();
        assertThat(first).isPositive();
        assertThat(searches.get()).as("asked again").isGreaterThan(first);
    }

    @Test
    void aRetryWithoutTheSearchApiSaysWhereToRetry() throws Exception {
        SearchApiIncidentLookup lookup = new SearchApiIncidentLookup(clientWithRest(404));
        lookup.openIncidents(1L);
        Run failed = portal.scaffolder.start(EntityRef.parse("template:default/waits"), new ObjectMapper().createObjectNode(),
                "user:default/alice");
        portal.await(failed.id(), run -> run.processInstanceKey().isPresent());
        portal.runs.finishFailed(failed.id(), "tomorrow", "simulated");
        var scaffolder = new dev.portal.scaffolder.Scaffolder(portal.catalog.entities(), portal.runs, portal.processes,
                portal.actions, portal.deployer, new dev.portal.scaffolder.template.TemplateResources(List.of(),
                getClass().getClassLoader()), portal.engine.client(), lookup, portal.workspaces);

        assertThatThrownBy(() -> scaffolder.retry(failed.id(), "user:default/alice"))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("no search API").hasMessageContaining("Operate");
    }

    private CamundaClient clientWithRest(int status) throws Exception {
        rest = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rest.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/incidents/search")) {
                searches.incrementAndGet();
            }
            byte[] body = ("{\"type\":\"about:blank\",\"title\":\"error\",\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        rest.start();
        client = client(URI.create("http://127.0.0.1:" + rest.getAddress().getPort()));
        return client;
    }

    private static CamundaClient client(URI restAddress) {
        return CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + portal.engine.engine().getGatewayAddress()))
                .restAddress(restAddress)
                .preferRestOverGrpc(false)
                .defaultRequestTimeout(Duration.ofSeconds(5))
                .build();
    }
}
