package dev.portal.scaffolder.zeebe;

import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approvers' forms survive restarts: the deployer keeps each form's JSON in PostgreSQL with the key
 * its deployment gave it, so a deployer with empty memory (another instance, a restarted host)
 * finds it, and a key a restarted engine hands out again names the form deployed with it.
 */
class DeployedFormsIntegrationTests {

    private static final String APPROVAL_FORM = """
            {"id": "approval", "type": "default", "components": [
              {"key": "approvalConditions", "label": "Conditions", "type": "textfield"}]}
            """;
    private static final String DECOMMISSION_FORM = """
            {"id": "decommission", "type": "default", "components": [
              {"key": "consumersInformed", "label": "Consumers informed", "type": "checkbox"}]}
            """;

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;

    @BeforeAll
    static void setUp() {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
    }

    @AfterAll
    static void tearDown() {
        portal.close();
    }

    private static ProcessDeployer freshDeployer() {
        return new ProcessDeployer(portal.engine.client(), portal.actions, Set.of(), portal.processes);
    }

    @Test
    void aDeployerWithEmptyMemoryFindsAFormAnotherOneDeployed() {
        ProcessDeployer.DeployedForm deployed = portal.deployer.deployForm("approval.form", APPROVAL_FORM.getBytes(StandardCharsets.UTF_8));

        var found = freshDeployer().form(deployed.formKey());

        assertThat(found).hasValueSatisfying(form -> {
            assertThat(form.form()).isEqualTo(deployed);
            assertThat(form.json()).isEqualTo(APPROVAL_FORM);
        });
        assertThat(freshDeployer().form(deployed.formKey() + 1_000_000)).isEmpty();
    }

    @Test
    void afterAnEngineRestartAReusedFormKeyNamesTheFormItsNewDeploymentGave() {
        portal.restartEngine(false);
        ProcessDeployer.DeployedForm before = portal.deployer.deployForm("approval.form", APPROVAL_FORM.getBytes(StandardCharsets.UTF_8));

        portal.restartEngine(false);
        ProcessDeployer.DeployedForm after = portal.deployer.deployForm("decommission.form", DECOMMISSION_FORM.getBytes(StandardCharsets.UTF_8));
        portal.workers().open();

        assertThat(after.formKey()).as("the restarted engine hands out the same key again").isEqualTo(before.formKey());
        assertThat(freshDeployer().form(after.formKey())).hasValueSatisfying(form -> {
            assertThat(form.form().formId()).isEqualTo("decommission");
            assertThat(form.json()).isEqualTo(DECOMMISSION_FORM);
        });
    }
}
