package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.RecordStreamIncidentLookup;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.time.Duration;

/**
 * The in-JVM Zeebe engine ({@code zeebe-process-test-engine}), started when created. Development
 * and tests only: state lives in memory. Its clock can be moved forward, which fires timers.
 */
public final class EmbeddedZeebeEngine implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedZeebeEngine.class);

    private final ZeebeTestEngine engine;

    public EmbeddedZeebeEngine(int port) {
        long started = System.nanoTime();
        engine = EngineFactory.create(port);
        engine.start();
        log.info("In-JVM Zeebe engine listening on {} (started in {} ms); for development and tests only",
                engine.getGatewayAddress(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Incidents from the engine's record stream (it has no search API). */
    public IncidentLookup incidents() {
        return new RecordStreamIncidentLookup(() -> engine.getRecordStreamSource().getRecords());
    }

    /** Runs' instances from the engine's record stream (it has no search API). */
    public dev.portal.scaffolder.zeebe.RunInstanceLookup runInstances() {
        return new dev.portal.scaffolder.zeebe.RecordStreamRunInstanceLookup(() -> engine.getRecordStreamSource().getRecords());
    }

    /** Moves the engine's clock forward (due timers fire). */
    public void increaseTime(Duration duration) {
        engine.increaseTime(duration);
    }

    public String gatewayAddress() {
        return engine.getGatewayAddress();
    }

    /** Stops the engine, giving up after 10 s: its gRPC server waits for calls a stray client may hold open. */
    @Override
    public void destroy() throws InterruptedException {
        Thread stopping = Thread.ofPlatform().daemon().name("portal-embedded-engine-stop").start(engine::stop);
        stopping.join(Duration.ofSeconds(10));
        if (stopping.isAlive()) {
            log.warn("The in-JVM Zeebe engine did not stop within 10 s (a client still holds a call open); left to the JVM's exit");
        }
    }
}
