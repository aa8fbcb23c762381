package dev.portal.autoconfigure.workflows;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Points Camunda's client at the in-JVM engine before any bean exists: picks the engine's port and
 * sets {@code camunda.client.grpc-address}, with gRPC for everything (the in-JVM engine has no REST
 * API). Runs as a bean factory post-processor, so it sees every property source a test or host
 * added, and comes before Camunda's starter binds {@code camunda.client.*}.
 * {@link EmbeddedZeebeEngine} starts the engine on that port.
 */
public final class EmbeddedEnginePort implements BeanFactoryPostProcessor {

    static final String PORT_PROPERTY = "portal.workflows.embedded-engine.resolved-port";

    private final ConfigurableEnvironment environment;

    public EmbeddedEnginePort(ConfigurableEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        closeClientsBeforeTheEngine(beanFactory);
        if (environment.containsProperty(PORT_PROPERTY)) {
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

    /**
     * The engine's gRPC server waits for open calls when it stops; a client still streaming jobs
     * would make it wait for ever. Clients depend on the engine, so they are closed first.
     */
    private static void closeClientsBeforeTheEngine(ConfigurableListableBeanFactory beanFactory) {
        List<String> engines = List.of(beanFactory.getBeanNamesForType(EmbeddedZeebeEngine.class, true, false));
        for (String type : List.of("io.camunda.client.CamundaClient", "io.camunda.zeebe.client.ZeebeClient")) {
            Class<?> clientType;
            try {
                clientType = Class.forName(type, false, EmbeddedEnginePort.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                continue;
            }
            for (String name : beanFactory.getBeanNamesForType(clientType, true, false)) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                List<String> dependsOn = new ArrayList<>(definition.getDependsOn() == null ? List.of()
                        : Arrays.asList(definition.getDependsOn()));
                engines.stream().filter(engine -> !dependsOn.contains(engine)).forEach(dependsOn::add);
                definition.setDependsOn(dependsOn.toArray(String[]::new));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Zeebe engine", e);
        }
    }
}
