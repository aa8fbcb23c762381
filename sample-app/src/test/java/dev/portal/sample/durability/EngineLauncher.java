package dev.portal.sample.durability;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;

import java.io.IOException;
import java.io.InputStream;

/**
 * The in-JVM Zeebe engine in a JVM of its own, so that a test can kill the host application
 * (SIGKILL) while the engine keeps every process instance, job and timer. Started by
 * {@link EngineProcess} with the test's {@code java} and class path:
 * {@code java -cp <test class path> dev.portal.sample.durability.EngineLauncher <port>}.
 * Prints {@code ready <address>} once its gRPC port listens, and stops when its standard input
 * closes (the test JVM ended, or asked it to) or on a signal.
 */
public final class EngineLauncher {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long started = System.nanoTime();
        ZeebeTestEngine engine = EngineFactory.create(port);
        engine.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(engine), "engine-stop"));
        System.out.println("ready " + engine.getGatewayAddress() + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // block until the parent closes our standard input (or dies)
        }
        // the engine leaves non-daemon threads; halt after stopping it (the shutdown hook)
        System.exit(0);
    }

    /** Its gRPC server waits for calls a client still holds open (a job stream of a killed host): 5 s at most. */
    private static void stop(ZeebeTestEngine engine) {
        Thread stopping = Thread.ofPlatform().daemon().start(engine::stop);
        try {
            stopping.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
