package dev.portal.scaffolder.testing;

import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.RecordStreamIncidentLookup;
import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;

import java.net.URI;
import java.time.Duration;

/** The in-JVM Zeebe engine with a gRPC client, for tests of real process runs. */
public final class TestEngine implements AutoCloseable {

    private final ZeebeTestEngine engine;
    private final CamundaClient client;
    private boolean stopped;

    public TestEngine() {
        engine = EngineFactory.create();
        engine.start();
        client = CamundaClient.newClientBuilder()
                .grpcAddress(URI.create("http://" + engine.getGatewayAddress()))
                .preferRestOverGrpc(false)
                .defaultRequestTimeout(Duration.ofSeconds(10))
                .build();
    }

    public CamundaClient client() {
        return client;
    }

    public ZeebeTestEngine engine() {
        return engine;
    }

    /** Incidents from the engine's record stream (the in-JVM engine has no search API). */
    public IncidentLookup incidents() {
        return new RecordStreamIncidentLookup(() -> engine.getRecordStreamSource().getRecords());
    }

    /** Runs' instances from the engine's record stream. */
    public dev.portal.scaffolder.zeebe.RunInstanceLookup runInstances() {
        return new dev.portal.scaffolder.zeebe.RecordStreamRunInstanceLookup(() -> engine.getRecordStreamSource().getRecords());
    }

    /** Stops the engine (as an engine that went down), keeping the client: its commands fail from now on. */
    public synchronized void stopEngine() {
        if (!stopped) {
            stopped = true;
            engine.stop();
        }
    }

    @Override
    public void close() {
        client.close();
        stopEngine();
    }
}
