package dev.portal.autoconfigure.workflows;

import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Only templates whose processes this application can run are offered in the catalog. */
class StandardTemplatesTests {

    // never reached: only the job type check runs, without an engine
    private final ProcessDeployer deployer = new ProcessDeployer(null, new ActionRegistry(List.of(new LogAction())), Set.of());

    @Test
    void everyProcessRunnableRegistersTheLocationOfAllTemplates() {
        StandardTemplates templates = new StandardTemplates(deployer, new PathMatchingResourcePatternResolver(),
                "standard/all-runnable");

        assertThat(templates.locations()).containsExactly(new LocationSpec("classpath", "standard/all-runnable/templates/all.yaml"));
    }

    @Test
    void aTemplateWhoseProcessCannotRunIsLeftOut() {
        StandardTemplates templates = new StandardTemplates(deployer, new PathMatchingResourcePatternResolver(),
                "standard/some-runnable");

        assertThat(templates.locations())
                .containsExactly(new LocationSpec("classpath", "standard/some-runnable/templates/greeting/template.yaml"));
    }
}
