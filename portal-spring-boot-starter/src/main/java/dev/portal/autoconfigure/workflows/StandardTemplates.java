package dev.portal.autoconfigure.workflows;

import dev.portal.autoconfigure.catalog.ConfiguredLocations;
import dev.portal.catalog.ingest.ClasspathLocationReader;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.template.TemplateException;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Contributes the standard templates of the portal-bpmn module to the catalog's configured locations
 * (registered at start-up like those of {@code portal.catalog.locations}, and removed when the
 * module or {@code portal.workflows.deploy-standard-templates} goes); the refresh keeps them current
 * when a new version of the jar brings changes.
 *
 * <p>A template whose process this application cannot run (publishing needs
 * {@code portal.scaffolder.git.url-pattern}) is left out, so that nobody is offered it: the
 * location of all of them ({@code templates/all.yaml}) is contributed when every process can run,
 * else the location of each template ({@code templates/<name>/template.yaml}, next to
 * {@code processes/<name>.bpmn}) that can.
 */
public final class StandardTemplates implements ConfiguredLocations.Contributor {

    private static final Logger log = LoggerFactory.getLogger(StandardTemplates.class);

    private final ProcessDeployer deployer;
    private final ResourcePatternResolver resolver;
    private final String root;

    /**
     * @param root the folder of the module's resources on the class path, {@code dev/portal/bpmn}
     */
    public StandardTemplates(ProcessDeployer deployer, ResourcePatternResolver resolver, String root) {
        this.deployer = deployer;
        this.resolver = resolver;
        this.root = root;
    }

    /** The locations to register: all templates, or those whose processes can run. */
    @Override
    public List<LocationSpec> locations() {
        List<String> runnable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Resource process : processes()) {
            String file = process.getFilename();
            String name = file.substring(0, file.length() - ".bpmn".length());
            try {
                // the deployer's own check, without the engine: every job type has an action
                deployer.prepare(file, process.getContentAsByteArray());
                runnable.add(name);
            } catch (TemplateException e) {
                skipped.add(name);
                log.warn("Standard template {} is not offered: {}", name, e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + process.getDescription(), e);
            }
        }
        if (skipped.isEmpty()) {
            return List.of(new LocationSpec(ClasspathLocationReader.TYPE, root + "/templates/all.yaml"));
        }
        return runnable.stream()
                .map(name -> new LocationSpec(ClasspathLocationReader.TYPE, root + "/templates/" + name + "/template.yaml"))
                .toList();
    }

    private Resource[] processes() {
        try {
            return resolver.getResources("classpath*:" + root + "/processes/*.bpmn");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the standard processes under " + root, e);
        }
    }
}
