package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.ProcessDeployer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys the BPMN files found under the configured classpath locations when the application
 * starts, before the job workers open. A file whose service tasks use a job type that no action
 * handles stops the start-up with a message naming the file, the element and the job type: better
 * than a run that waits for a worker that never comes.
 */
public final class ProcessResources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessResources.class);

    private final ProcessDeployer deployer;
    private final ResourcePatternResolver resolver;
    private final List<String> locations;
    private volatile boolean running;

    public ProcessResources(ProcessDeployer deployer, ResourcePatternResolver resolver, List<String> locations) {
        this.deployer = deployer;
        this.resolver = resolver;
        this.locations = List.copyOf(locations);
    }

    /** Before the workers (default phase) open, so that no job arrives for a process not yet checked. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 100;
    }

    @Override
    public void start() {
        List<String> deployed = new ArrayList<>();
        for (String location : locations) {
            for (Resource resource : resources(location)) {
                try {
                    deployer.deploy(resource.getFilename(), resource.getContentAsByteArray())
                            .forEach(process -> deployed.add(process.processId() + " v" + process.version()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + resource.getDescription(), e);
                }
            }
        }
        if (!deployed.isEmpty()) {
            log.info("Deployed processes {}", deployed);
        }
        running = true;
    }

    private Resource[] resources(String location) {
        try {
            return resolver.getResources(location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list process resources at " + location, e);
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
