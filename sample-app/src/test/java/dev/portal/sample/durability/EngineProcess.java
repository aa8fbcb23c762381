package dev.portal.sample.durability;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link EngineLauncher} as a child process: the Zeebe engine that outlives every host the test kills. */
final class EngineProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private EngineProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static EngineProcess start(String name) {
        int port = ChildJvm.freePort();
        Process process = ChildJvm.start(name, List.of("-Xmx768m"), EngineLauncher.class.getName(), List.of(String.valueOf(port)));
        try {
            ChildJvm.awaitPort(process, port, Duration.ofSeconds(60), "the engine (log: " + ChildJvm.log(name) + ")");
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return new EngineProcess(process, port);
    }

    /** The gRPC address for {@code camunda.client.grpc-address}. */
    String grpcAddress() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
