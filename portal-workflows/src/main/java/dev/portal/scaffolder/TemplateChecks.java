package dev.portal.scaffolder;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.orchestration.ProcessingListener;
import dev.portal.catalog.orchestration.ProcessingReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Checks every Template entity a catalog pass stored ({@link Scaffolder#checkTemplate}): a BPMN
 * with an unknown job type or a bad FEEL expression is reported (logged and recorded, shown with
 * the template) when its template is registered or changes, not when somebody first starts it.
 */
public final class TemplateChecks implements ProcessingListener {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateChecks.class);

    private final Supplier<Scaffolder> scaffolder;

    /** @param scaffolder looked up lazily: the Scaffolder needs the catalog this listens to */
    public TemplateChecks(Supplier<Scaffolder> scaffolder) {
        this.scaffolder = scaffolder;
    }

    @Override
    public void processed(ProcessingReport report, Duration took) {
        if (report.unchanged()) {
            return;
        }
        for (EntityRef ref : report.stored()) {
            if (!"template".equalsIgnoreCase(ref.kind())) {
                continue;
            }
            try {
                scaffolder.get().checkTemplate(ref).ifPresent(problem ->
                        LOG.warn("template {} from {} cannot run: {}", ref.canonical(), report.location().spec(), problem));
            } catch (RuntimeException e) {
                // the engine is away: the template is checked again when it is started
                LOG.info("template {} not checked yet: {}", ref.canonical(), e.getMessage());
            }
        }
    }
}
