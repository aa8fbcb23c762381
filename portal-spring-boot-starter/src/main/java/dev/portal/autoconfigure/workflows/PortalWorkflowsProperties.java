package dev.portal.autoconfigure.workflows;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * The workflow engine side: the in-JVM engine for development and tests. A production host leaves
 * it off and points {@code camunda.client.*} at its Camunda 8 cluster.
 */
@ConfigurationProperties(prefix = "portal.workflows")
public class PortalWorkflowsProperties {

    private final EmbeddedEngine embeddedEngine = new EmbeddedEngine();

    /**
     * Classpath locations (Spring resource patterns) of BPMN files and Camunda forms to deploy at
     * start-up, e.g. classpath*:processes/*.bpmn and classpath*:forms/*.form. Forms are deployed first.
     * A BPMN file that uses a job type no action handles stops the start-up.
     */
    private List<String> processes = new ArrayList<>();

    /**
     * Whether to use the standard templates of the portal-bpmn module when it is on the class path:
     * deploy their forms and processes at start-up and register their Template entities in the
     * catalog. A standard process whose actions are missing (publishing needs
     * portal.scaffolder.git.url-pattern) is skipped with a warning, and its template is not offered.
     */
    private boolean deployStandardTemplates = true;

    public EmbeddedEngine getEmbeddedEngine() {
        return embeddedEngine;
    }

    public List<String> getProcesses() {
        return processes;
    }

    public void setProcesses(List<String> processes) {
        this.processes = processes;
    }

    public boolean isDeployStandardTemplates() {
        return deployStandardTemplates;
    }

    public void setDeployStandardTemplates(boolean deployStandardTemplates) {
        this.deployStandardTemplates = deployStandardTemplates;
    }

    /** The in-JVM Zeebe engine (needs io.camunda:zeebe-process-test-engine on the class path). */
    public static class EmbeddedEngine {

        /**
         * Whether to start an in-JVM Zeebe engine and point the Camunda client at it. For
         * development and tests only: it keeps everything in memory and loses it on shutdown.
         */
        private boolean enabled = false;

        /** gRPC port of the in-JVM engine; 0 picks a free port. */
        private int port = 0;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }
}
