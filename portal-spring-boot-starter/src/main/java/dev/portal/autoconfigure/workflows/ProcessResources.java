package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.template.TemplateException;
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
 * Deploys Camunda forms ({@code *.form}) and BPMN files ({@code *.bpmn}) found under classpath
 * locations when the application starts, before the job workers open: the standard templates of
 * the portal-bpmn module (when {@code portal.workflows.deploy-standard-templates} is on) and the
 * host's own {@code portal.workflows.processes}. Forms go first, so that the user tasks linking
 * them find them.
 *
 * <p>A host's file whose service tasks use a job type no action handles stops the start-up with a
 * message naming the file, the element and the job type: better than a run that waits for a worker
 * that never comes. A standard template with such a job type (publishing needs
 * {@code portal.scaffolder.git.url-pattern}) is skipped with a warning instead: the host did not
 * write it, and the rest of the portal works without it.
 */
public final class ProcessResources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProcessResources.class);

    private final ProcessDeployer deployer;
    private final ResourcePatternResolver resolver;
    private final List<String> standard;
    private final List<String> configured;
    private volatile boolean running;

    /**
     * @param standard   locations of the standard templates' resources (skipped with a warning when not deployable)
     * @param configured the host's locations (refused at start-up when not deployable)
     */
    public ProcessResources(ProcessDeployer deployer, ResourcePatternResolver resolver, List<String> standard,
                            List<String> configured) {
        this.deployer = deployer;
        this.resolver = resolver;
        this.standard = List.copyOf(standard);
        this.configured = List.copyOf(configured);
    }

    /** Before the workers (default phase) open, so that no job arrives for a process not yet checked. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 100;
    }

    @Override
    public void start() {
        List<String> deployed = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        standard.forEach(location -> resources.addAll(List.of(resources(location))));
        int standardCount = resources.size();
        configured.forEach(location -> resources.addAll(List.of(resources(location))));
        // forms first: a user task resolves its linked form when it is reached
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            if (isForm(resources.get(i))) {
                order.add(i);
            }
        }
        for (int i = 0; i < resources.size(); i++) {
            if (!isForm(resources.get(i))) {
                order.add(i);
            }
        }
        for (int i : order) {
            Resource resource = resources.get(i);
            try {
                deployed.addAll(deploy(resource));
            } catch (TemplateException e) {
                if (i >= standardCount) {
                    throw e;
                }
                log.warn("Standard template {} is not deployed: {}", resource.getFilename(), e.getMessage());
            }
        }
        if (!deployed.isEmpty()) {
            log.info("Deployed {}", deployed);
        }
        running = true;
    }

    private List<String> deploy(Resource resource) {
        try {
            byte[] content = resource.getContentAsByteArray();
            if (isForm(resource)) {
                ProcessDeployer.DeployedForm form = deployer.deployForm(resource.getFilename(), content);
                return List.of("form " + form.formId() + " v" + form.version());
            }
            return deployer.deploy(resource.getFilename(), content).stream()
                    .map(process -> process.processId() + " v" + process.version()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource.getDescription(), e);
        }
    }

    private static boolean isForm(Resource resource) {
        return resource.getFilename() != null && resource.getFilename().endsWith(".form");
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
