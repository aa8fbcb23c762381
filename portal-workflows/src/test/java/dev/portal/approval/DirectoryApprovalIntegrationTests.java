package dev.portal.approval;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ingest.ldap.LdapOrgLocationReader;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.catalog.testing.DemoDirectory;
import dev.portal.error.NotAllowedException;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may approve follows the directory: people and teams come from an LDAP org provider (UnboundID's
 * in-memory server with the demo organization), and a change in the directory changes who may decide
 * at the next refresh of its location.
 */
class DirectoryApprovalIntegrationTests {

    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef BOB = EntityRef.parse("user:default/bob");
    private static final EntityRef CAROL = EntityRef.parse("user:default/carol");

    @TempDir
    static Path dir;

    static ScaffolderFixture portal;
    static DemoDirectory directory;
    static Catalog people;
    static ZeebeApprovals approvals;
    static ApprovalInbox inbox;

    @BeforeAll
    static void start() throws Exception {
        portal = new ScaffolderFixture(dir.resolve("workspaces"), List.of(new LogAction()));
        directory = new DemoDirectory();
        // the directory is read by a catalog on the same database, as the starter wires it (a configured location)
        people = new Catalog(portal.database.dsl(), CatalogSettings.defaults(), List.of(
                new LdapOrgLocationReader(List.of(directory.settings("acme", 0)), 1 << 20, 10_000)));
        assertThat(people.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG).errors()).isEmpty();
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), true, "directory-test");
        inbox = new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), true), Set.of()), approvals, List.of());
        approvals.open(() -> inbox);
        Path folder = Files.createDirectories(dir.resolve("team-review"));
        Files.writeString(folder.resolve("team-review.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("team-review")
                .startEvent()
                .userTask("approve", task -> task.zeebeCandidateGroups("payments"))
                .endEvent()
                .done()));
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: team-review}
                spec:
                  type: service
                  owner: group:default/payments
                  workflow: {processId: team-review, resource: team-review.bpmn}
                """)), Location.Origin.CONFIG);
    }

    @AfterAll
    static void stop() {
        approvals.close();
        directory.close();
        portal.close();
    }

    private static ApprovalTask requestedBy(EntityRef requester) {
        Run run = portal.scaffolder.start(EntityRef.parse("template:default/team-review"),
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), requester.canonical());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            var open = inbox.store().openOfRun(run.id()).stream().findFirst();
            if (open.isPresent()) {
                return open.get();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no approval task for run " + run.id());
    }

    private static void refreshDirectory() {
        assertThat(people.refresh(ALICE).orElseThrow().errors()).isEmpty();
    }

    @Test
    void somebodyTheDirectoryPutsIntoTheTeamMayApproveAfterTheNextRefresh() throws Exception {
        ApprovalTask task = requestedBy(ALICE);
        assertThatThrownBy(() -> inbox.decide(task.id(), CAROL, true, "not my team", null))
                .isInstanceOf(NotAllowedException.class);

        directory.addMember("payments", DemoDirectory.user("carol"));
        try {
            refreshDirectory();

            inbox.decide(task.id(), CAROL, true, "joined payments", null);
            UUID runId = task.runId();
            assertThat(portal.await(runId, run -> run.status() == RunStatus.COMPLETED).status()).isEqualTo(RunStatus.COMPLETED);
        } finally {
            directory.removeMember("payments", DemoDirectory.user("carol"));
            refreshDirectory();
        }
    }

    @Test
    void somebodyRemovedFromTheDirectoryMayNoLongerApprove() throws Exception {
        ApprovalTask task = requestedBy(ALICE);

        directory.removeMember("payments", DemoDirectory.user("bob"));
        directory.delete(DemoDirectory.user("bob"));
        refreshDirectory();

        assertThat(portal.catalog.entities().byRef(BOB).orElseThrow().orphan()).isTrue();
        assertThatThrownBy(() -> inbox.decide(task.id(), BOB, true, "still here?", null))
                .isInstanceOf(NotAllowedException.class);
    }
}
