package dev.portal.autoconfigure.workflows;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * With {@code portal.workflows.embedded-engine.enabled=true}, points Camunda's client at the in-JVM
 * engine before any bean exists: picks the engine's port and sets {@code camunda.client.grpc-address}
 * (and gRPC for everything, as the in-JVM engine has no REST API). {@link EmbeddedZeebeEngine}
 * starts the engine on that port.
 */
public class EmbeddedEngineEnvironment implements EnvironmentPostProcessor {

    static final String PORT_PROPERTY = "portal.workflows.embedded-engine.resolved-port";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("portal.workflows.embedded-engine.enabled", Boolean.class, false)
                || environment.containsProperty(PORT_PROPERTY)) {
            return;
        }
        int port = environment.getProperty("portal.workflows.embedded-engine.port", Integer.class, 0);
        if (port == 0) {
            port = freePort();
        }
        environment.getPropertySources().addFirst(new MapPropertySource("portalEmbeddedEngine", Map.of(
                PORT_PROPERTY, port,
                "camunda.client.grpc-address", "http://127.0.0.1:" + port,
                "camunda.client.prefer-rest-over-grpc", false)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Zeebe engine", e);
        }
    }
}
