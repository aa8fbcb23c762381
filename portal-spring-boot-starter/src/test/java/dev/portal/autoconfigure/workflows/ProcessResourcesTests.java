package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.template.TemplateException;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A process no action can run: the host's own stops the start-up, a standard one is left out. */
class ProcessResourcesTests {

    private static final String TYPO = "classpath*:processes/typo/*.bpmn";

    // never reached: the job type check refuses the file before anything is sent to an engine
    private final ProcessDeployer deployer = new ProcessDeployer(null, new ActionRegistry(List.of(new LogAction())), Set.of());

    @Test
    void aStandardTemplateWhoseActionsAreMissingIsSkippedAndStartUpGoesOn() {
        ProcessResources resources = new ProcessResources(deployer, new PathMatchingResourcePatternResolver(),
                List.of(TYPO), List.of());

        resources.start();

        assertThat(resources.isRunning()).isTrue();
    }

    @Test
    void theHostsOwnProcessWithAnUnknownJobTypeStopsTheStartUp() {
        ProcessResources resources = new ProcessResources(deployer, new PathMatchingResourcePatternResolver(),
                List.of(), List.of(TYPO));

        assertThatThrownBy(resources::start).isInstanceOf(TemplateException.class)
                .hasMessageContaining("typo.bpmn: element 'publish' (serviceTask) uses job type 'portal.publsh-git'");
        assertThat(resources.isRunning()).isFalse();
    }
}
