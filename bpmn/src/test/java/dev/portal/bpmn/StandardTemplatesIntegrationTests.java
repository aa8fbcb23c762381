package dev.portal.bpmn;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.approval.ApprovalStatus;
import dev.portal.approval.ApprovalTask;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.error.ConflictException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.portal.bpmn.StandardPortal.ALICE;
import static dev.portal.bpmn.StandardPortal.BOB;
import static dev.portal.bpmn.StandardPortal.CAROL;
import static dev.portal.bpmn.StandardPortal.DAVE;
import static dev.portal.bpmn.StandardPortal.ERIN;
import static dev.portal.bpmn.StandardPortal.FRANK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every path of the standard templates, deployed from this module to the in-JVM engine and run by
 * the real workers: approval, rejection, escalation, failure with compensation, cancellation, and a
 * request the catalog refuses. Each test asserts where the process ended (the run's status and its
 * events) and what it left behind: repositories, catalog entities, inbox rows.
 */
class StandardTemplatesIntegrationTests {

    private static final String OPENAPI = """
            openapi: 3.0.3
            info: {title: Invoices, version: 1.0.0}
            paths:
              /invoices/{id}:
                get:
                  operationId: getInvoice
                  parameters:
                    - {name: id, in: path, required: true, schema: {type: string}}
                  responses:
                    '200':
                      description: the invoice
                      content:
                        application/json:
                          schema: {type: object, properties: {id: {type: string}, total: {type: number}}}
            """;

    @TempDir
    static Path dir;

    static StandardPortal portal;

    @BeforeAll
    static void start() throws Exception {
        portal = new StandardPortal(dir);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static Optional<StoredEntity> entity(String ref) {
        return portal.portal.catalog.entities().byRef(EntityRef.parse(ref));
    }

    private static String values(String name, String extra) {
        return """
                {"name": "%s", "owner": "payments", "description": "Keeps the books", "javaPackage": "com.acme.%s"%s}
                """.formatted(name, name.replace("-", ""), extra);
    }

    // ------------------------------------------------------------------------------ create-service

    @Test
    void createServiceApprovedByTheOwningTeamPublishesRendersAndRegisters() throws Exception {
        Run run = portal.start("create-service", ALICE, values("ledger", ", \"system\": \"payments-platform\""));
        ApprovalTask task = portal.awaitTask(run.id(), "approve");

        assertThat(task.candidateGroups()).containsExactly(EntityRef.parse("group:default/payments"));
        assertThat(task.formKey()).as("the linked form, resolved by the engine").isPresent();
        assertThatThrownBy(() -> portal.inbox.decide(task.jobKey(), ALICE, true, "mine", null))
                .isInstanceOf(NotAllowedException.class).hasMessageContaining("four-eyes");
        assertThatThrownBy(() -> portal.inbox.decide(task.jobKey(), DAVE, true, "not mine", null))
                .isInstanceOf(NotAllowedException.class).hasMessageContaining("is not the assignee");
        portal.inbox.decide(task.jobKey(), BOB, true, "welcome", portal.json("{\"approvalConditions\": \"add an SLO\"}"));

        Run done = portal.awaitFinal(run.id());
        assertThat(done.status()).as("events %s", portal.eventMessages(run.id())).isEqualTo(RunStatus.COMPLETED);
        assertThat(portal.inbox.store().find(task.jobKey()).orElseThrow().status()).isEqualTo(ApprovalStatus.APPROVED);
        // the repository: one commit, the Java service rendered with the request's values
        assertThat(portal.commits("ledger")).hasSize(1);
        assertThat(portal.files("ledger")).contains("README.md", "pom.xml", ".github/workflows/ci.yaml", "catalog-info.yaml",
                "src/main/java/com/acme/ledger/Application.java", "src/test/java/com/acme/ledger/HealthTests.java",
                "src/main/resources/application.yaml");
        assertThat(portal.file("ledger", "src/main/java/com/acme/ledger/Application.java").orElseThrow())
                .contains("package com.acme.ledger;").contains("@SpringBootApplication");
        assertThat(portal.file("ledger", "pom.xml").orElseThrow()).contains("<artifactId>ledger</artifactId>")
                .contains("spring-boot-starter-actuator");
        assertThat(portal.file("ledger", "catalog-info.yaml").orElseThrow())
                .contains("owner: group:default/payments").contains("system: system:default/payments-platform")
                .contains("portal.dev/scaffolder-run-id: " + run.id());
        // the catalog: the component with its owner and system
        Entity component = entity("component:default/ledger").orElseThrow().entity();
        assertThat(component.spec().path("owner").asText()).isEqualTo("group:default/payments");
        assertThat(component.spec().path("system").asText()).isEqualTo("system:default/payments-platform");
        assertThat(portal.eventMessages(run.id())).anyMatch(message -> message.contains(
                "Created component:default/ledger at file://" + portal.repository("ledger") + ", approved by user:default/bob"));
    }

    @Test
    void createServiceWithAnApiDefinitionCommitsAGeneratedServerStub() throws Exception {
        Run run = portal.start("create-service", ALICE, values("invoices",
                ", \"apiSpec\": " + new ObjectMapper().writeValueAsString(OPENAPI)));
        portal.inbox.decide(portal.awaitTask(run.id(), "approve").jobKey(), BOB, true, null, null);

        Run done = portal.awaitFinal(run.id());
        assertThat(done.status()).as("events %s", portal.eventMessages(run.id())).isEqualTo(RunStatus.COMPLETED);
        List<RevCommit> commits = portal.commits("invoices");
        assertThat(commits).hasSize(2);
        assertThat(commits.getFirst().getShortMessage()).isEqualTo("Add the server stub generated from the API definition");
        assertThat(portal.files("invoices")).anyMatch(path -> path.startsWith("api/") && path.endsWith("InvoicesApi.java"));
        assertThat(entity("component:default/invoices")).isPresent();
    }

    @Test
    void createServiceRejectedEndsTheRunWithTheReasonAndCreatesNothing() throws Exception {
        Run run = portal.start("create-service", ALICE, values("rejected-idea", ""));
        ApprovalTask task = portal.awaitTask(run.id(), "approve");

        portal.inbox.decide(task.jobKey(), BOB, false, "we have one already", null);

        Run done = portal.awaitFinal(run.id());
        assertThat(done.status()).isEqualTo(RunStatus.REJECTED);
        assertThat(portal.eventMessages(run.id())).contains("run rejected by user:default/bob: we have one already");
        assertThat(portal.inbox.store().find(task.jobKey()).orElseThrow().status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(Files.exists(portal.repository("rejected-idea"))).isFalse();
        assertThat(entity("component:default/rejected-idea")).isEmpty();
    }

    @Test
    void createServiceEscalatesToTheOwnersParentGroupAfterThreeDays() throws Exception {
        Run run = portal.start("create-service", ALICE, values("escalated", ""));
        ApprovalTask team = portal.awaitTask(run.id(), "approve");
        // due when it escalates, so its approvers are reminded before (portal.approvals.notifications.due-soon);
        // the engine's clock runs ahead of the wall clock by what earlier tests added
        assertThat(team.dueDate()).hasValueSatisfying(due ->
                assertThat(due).isAfterOrEqualTo(team.createdAt().plusDays(3).minusMinutes(1)));

        portal.portal.engine.engine().increaseTime(Duration.ofDays(3).plusMinutes(1));
        ApprovalTask escalated = portal.awaitTask(run.id(), "escalatedApprove");

        assertThat(escalated.candidateGroups()).containsExactly(EntityRef.parse("group:default/engineering"));
        portal.eventually("the team's task is closed as escalated",
                () -> {
                    portal.inbox.reconcile();
                    return portal.inbox.store().find(team.jobKey()).orElseThrow().status() == ApprovalStatus.ESCALATED;
                });
        assertThatThrownBy(() -> portal.inbox.decide(escalated.jobKey(), BOB, true, null, null))
                .isInstanceOf(NotAllowedException.class).hasMessageContaining("group:default/engineering");
        portal.inbox.decide(escalated.jobKey(), ERIN, true, "approved on the team's behalf", null);

        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(entity("component:default/escalated")).isPresent();
    }

    @Test
    void createServiceEscalationOfATeamWithoutParentGoesToTheAdmins() throws Exception {
        Run run = portal.start("create-service", ALICE, """
                {"name": "sketches", "owner": "design", "javaPackage": "com.acme.sketches"}
                """);
        portal.awaitTask(run.id(), "approve");

        portal.portal.engine.engine().increaseTime(Duration.ofDays(3).plusMinutes(1));
        ApprovalTask escalated = portal.awaitTask(run.id(), "escalatedApprove");

        assertThat(escalated.candidateGroups()).isEmpty();
        assertThatThrownBy(() -> portal.inbox.decide(escalated.jobKey(), DAVE, true, null, null))
                .isInstanceOf(NotAllowedException.class);
        portal.inbox.decide(escalated.jobKey(), CAROL, false, "design does not run services", null);
        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.REJECTED);
    }

    @Test
    void aFailureAfterPublishingMarksTheRepositoryAbandonedAndFailsTheRun() throws Exception {
        Run run = portal.start("create-service", ALICE, values("broken-api",
                ", \"apiSpec\": \"openapi: 3.0.3\\ninfo: {title: nothing}\\npaths: 17\""));
        portal.inbox.decide(portal.awaitTask(run.id(), "approve").jobKey(), BOB, true, null, null);

        Run done = portal.awaitFinal(run.id());

        assertThat(done.status()).as("events %s", portal.eventMessages(run.id())).isEqualTo(RunStatus.FAILED);
        assertThat(done.failedStep()).contains("generate");
        assertThat(done.errorMessage().orElseThrow()).contains("is not a valid OpenAPI definition");
        // published, then compensated: a second commit marks the repository deprecated and says why
        List<RevCommit> commits = portal.commits("broken-api");
        assertThat(commits).hasSize(2);
        assertThat(commits.getFirst().getShortMessage()).startsWith("Mark abandoned");
        assertThat(commits.getFirst().getFooterLines("Portal-Step")).containsExactly("markAbandoned");
        String descriptor = portal.file("broken-api", "catalog-info.yaml").orElseThrow();
        assertThat(descriptor).contains("lifecycle: deprecated").contains("portal.dev/abandoned-by-run: " + run.id())
                .contains("is not a valid OpenAPI definition");
        assertThat(entity("component:default/broken-api")).as("never registered").isEmpty();
    }

    @Test
    void cancellingARunWaitingForApprovalClosesItsTaskAndCreatesNothing() throws Exception {
        Run run = portal.start("create-service", ALICE, values("cancelled", ""));
        ApprovalTask task = portal.awaitTask(run.id(), "approve");

        portal.portal.scaffolder.cancel(run.id(), ALICE.canonical());

        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(portal.inbox.store().find(task.jobKey()).orElseThrow().status()).isEqualTo(ApprovalStatus.CANCELLED);
        assertThatThrownBy(() -> portal.inbox.decide(task.jobKey(), BOB, true, null, null)).isInstanceOf(ConflictException.class);
        assertThat(Files.exists(portal.repository("cancelled"))).isFalse();
    }

    @Test
    void aRequestTheCatalogRefusesEndsBeforeAnyoneIsAsked() throws Exception {
        Run run = portal.start("create-service", ALICE, """
                {"name": "payments-platform", "owner": "no-such-team", "system": "payments-platform"}
                """);

        Run done = portal.awaitFinal(run.id());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.failedStep()).contains("check");
        assertThat(done.errorMessage().orElseThrow()).contains("group:default/no-such-team must exist in the catalog, but does not");
        assertThat(portal.inbox.store().ofRun(run.id())).isEmpty();
    }

    @Test
    void aDryRunOfCreateServiceRendersTheSkeletonAndPublishesNothing() throws Exception {
        var result = portal.portal.scaffolder.dryRun(EntityRef.parse("template:default/create-service"),
                portal.json(values("preview", "")), ALICE.canonical());

        assertThat(result.files()).extracting(file -> file.path())
                .contains("src/main/java/com/acme/preview/Application.java", "catalog-info.yaml", "pom.xml");
        assertThat(Files.exists(portal.repository("preview"))).isFalse();
    }

    @Test
    void aDescriptionThatWouldBreakTheDescriptorIsRefusedBeforeTheRunStarts() {
        assertThatThrownBy(() -> portal.start("create-service", ALICE, values("bad-description", "")
                .replace("Keeps the books", "one\\nmetadata:\\n  name: other")))
                .hasMessageContaining("values.description");
    }

    // ------------------------------------------------------------------------------ register-existing

    @Test
    void registerExistingRegistersTheRepositoryOnceTheOwnersApprove() throws Exception {
        String repo = portal.existingRepository("old-billing", Map.of("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: old-billing}
                spec: {type: service, lifecycle: production, owner: payments}
                """));
        Run run = portal.start("register-existing", BOB, """
                {"catalogInfoUrl": "%s/-/blob/main/catalog-info.yaml", "owner": "payments"}
                """.formatted(repo));
        ApprovalTask task = portal.awaitTask(run.id(), "approve");
        assertThat(entity("component:default/old-billing")).isEmpty();

        portal.inbox.decide(task.jobKey(), ALICE, true, null, null);

        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(entity("component:default/old-billing")).isPresent();
        assertThat(portal.commits("old-billing")).as("the repository itself is left alone").hasSize(1);
    }

    @Test
    void registerExistingRejectedRegistersNothing() throws Exception {
        String repo = portal.existingRepository("unwanted", Map.of("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: unwanted}
                spec: {type: service, lifecycle: production, owner: payments}
                """));
        Run run = portal.start("register-existing", BOB, """
                {"catalogInfoUrl": "%s/-/blob/main/catalog-info.yaml", "owner": "payments"}
                """.formatted(repo));

        portal.inbox.decide(portal.awaitTask(run.id(), "approve").jobKey(), ALICE, false, "not ours", null);

        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.REJECTED);
        assertThat(entity("component:default/unwanted")).isEmpty();
        assertThat(portal.portal.catalog.locations()).noneMatch(location -> location.target().contains("unwanted"));
    }

    // ------------------------------------------------------------------------------ decommission-component

    private static String registeredComponent(String name) throws Exception {
        String repo = portal.existingRepository(name, Map.of("catalog-info.yaml", """
                # the team's own comment
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: %s}
                spec: {type: service, lifecycle: production, owner: payments}
                """.formatted(name)));
        // as portal.catalog-register records what the portal published: a Scaffolder location
        portal.portal.catalog.register(new LocationSpec("url", repo + "/-/blob/main/catalog-info.yaml"), Location.Origin.SCAFFOLDER);
        assertThat(entity("component:default/" + name)).isPresent();
        return repo;
    }

    @Test
    void decommissionNeedsTheOwnersAndThePlatformThenDeprecatesAndRemoves() throws Exception {
        String repo = registeredComponent("legacy-ledger");
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "legacy-ledger", "reason": "replaced by ledger"}
                """);
        ApprovalTask owner = portal.awaitTask(run.id(), "ownerApprove");
        ApprovalTask platform = portal.awaitTask(run.id(), "platformApprove");

        assertThat(owner.candidateGroups()).containsExactly(EntityRef.parse("group:default/payments"));
        assertThat(platform.candidateGroups()).as("unassigned: the admins (platform) decide").isEmpty();
        assertThatThrownBy(() -> portal.inbox.decide(platform.jobKey(), BOB, true, null, null))
                .isInstanceOf(NotAllowedException.class);
        assertThatThrownBy(() -> portal.inbox.decide(owner.jobKey(), BOB, true, null,
                portal.json("{\"componentRef\": \"component:default/still-needed\"}")))
                .as("an approver's form may not redirect the decommission to another component")
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'componentRef'");
        portal.inbox.decide(owner.jobKey(), BOB, true, null, null);
        assertThat(portal.portal.runs.find(run.id()).orElseThrow().status()).isNotEqualTo(RunStatus.COMPLETED);
        portal.inbox.decide(platform.jobKey(), CAROL, true, "ok", portal.json("{\"consumersInformed\": true}"));

        Run done = portal.awaitFinal(run.id());
        assertThat(done.status()).as("events %s", portal.eventMessages(run.id())).isEqualTo(RunStatus.COMPLETED);
        List<RevCommit> commits = portal.commits("legacy-ledger");
        assertThat(commits).hasSize(2);
        assertThat(commits.getFirst().getShortMessage()).isEqualTo("Decommission component:default/legacy-ledger: replaced by ledger");
        assertThat(portal.file("legacy-ledger", "catalog-info.yaml").orElseThrow())
                .contains("lifecycle: deprecated").contains("portal.dev/decommissioned-by-run: " + run.id());
        assertThat(entity("component:default/legacy-ledger")).isEmpty();
        assertThat(portal.portal.catalog.locations()).noneMatch(location -> location.target().startsWith(repo));
    }

    @Test
    void decommissionNeedsTwoPeopleEvenWhenOneBelongsToBothGroups() throws Exception {
        registeredComponent("two-people");
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "two-people", "reason": "replaced"}
                """);
        ApprovalTask owner = portal.awaitTask(run.id(), "ownerApprove");
        ApprovalTask platform = portal.awaitTask(run.id(), "platformApprove");

        portal.inbox.decide(owner.jobKey(), FRANK, true, null, null);

        assertThatThrownBy(() -> portal.inbox.decide(platform.jobKey(), FRANK, true, null, null))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("separate deciders: user:default/frank decided ownerApprove");
        portal.inbox.decide(platform.jobKey(), CAROL, true, null, null);
        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void decommissionRejectedByTheOwnersChangesNothing() throws Exception {
        registeredComponent("owners-keep");
        Run run = portal.start("decommission-component", CAROL, """
                {"component": "owners-keep", "reason": "tidy up"}
                """);
        ApprovalTask owner = portal.awaitTask(run.id(), "ownerApprove");
        ApprovalTask platform = portal.awaitTask(run.id(), "platformApprove");

        portal.inbox.decide(owner.jobKey(), BOB, false, "we still run it", null);

        assertThat(portal.awaitFinal(run.id()).status()).isEqualTo(RunStatus.REJECTED);
        assertThat(portal.eventMessages(run.id())).contains("run rejected by user:default/bob: we still run it");
        portal.eventually("the platform's task is closed", () -> {
            portal.inbox.reconcile();
            return portal.inbox.store().find(platform.jobKey()).orElseThrow().status() != ApprovalStatus.OPEN;
        });
        assertThat(portal.commits("owners-keep")).hasSize(1);
        assertThat(entity("component:default/owners-keep")).isPresent();
    }

    @Test
    void decommissionRejectedByThePlatformChangesNothing() throws Exception {
        registeredComponent("still-needed");
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "still-needed", "reason": "tidy up"}
                """);
        ApprovalTask owner = portal.awaitTask(run.id(), "ownerApprove");
        ApprovalTask platform = portal.awaitTask(run.id(), "platformApprove");

        portal.inbox.decide(platform.jobKey(), CAROL, false, "invoices still call it", null);

        Run done = portal.awaitFinal(run.id());
        assertThat(done.status()).isEqualTo(RunStatus.REJECTED);
        portal.eventually("the owners' task is closed once the rejection took it away", () -> {
            portal.inbox.reconcile();
            return portal.inbox.store().find(owner.jobKey()).orElseThrow().status() != ApprovalStatus.OPEN;
        });
        assertThat(portal.commits("still-needed")).hasSize(1);
        assertThat(entity("component:default/still-needed")).isPresent();
    }

    @Test
    void decommissionOfAComponentFromTheApplicationsConfigurationEndsBeforeAnyoneIsAsked() throws Exception {
        String repo = portal.existingRepository("configured", Map.of("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: configured}
                spec: {type: service, lifecycle: production, owner: payments}
                """));
        portal.portal.catalog.register(new LocationSpec("url", repo + "/-/blob/main/catalog-info.yaml"), Location.Origin.CONFIG);
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "configured", "reason": "gone"}
                """);

        Run done = portal.awaitFinal(run.id());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.failedStep()).contains("canRemove");
        assertThat(done.errorMessage().orElseThrow()).contains("comes from the application's configuration");
        assertThat(portal.inbox.store().ofRun(run.id())).as("nobody was asked").isEmpty();
        assertThat(entity("component:default/configured")).isPresent();
    }

    @Test
    void decommissionNeverCommitsToARepositoryOutsideThePublishRoot() throws Exception {
        String repo = portal.existingRepository(dir.resolve("elsewhere/foreign.git"), Map.of("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: foreign}
                spec: {type: service, lifecycle: production, owner: payments}
                """));
        portal.portal.catalog.register(new LocationSpec("url", repo + "/-/blob/main/catalog-info.yaml"), Location.Origin.API);
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "foreign", "reason": "not ours to touch"}
                """);
        portal.inbox.decide(portal.awaitTask(run.id(), "ownerApprove").jobKey(), BOB, true, null, null);
        portal.inbox.decide(portal.awaitTask(run.id(), "platformApprove").jobKey(), CAROL, true, null, null);

        Run done = portal.awaitFinal(run.id());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.failedStep()).contains("deprecate");
        assertThat(done.errorMessage().orElseThrow()).contains("is not a repository the portal publishes");
        assertThat(entity("component:default/foreign")).isPresent();
        portal.portal.scaffolder.cancel(run.id(), CAROL.canonical());
    }

    @Test
    void decommissionOfAComponentThatSharesItsFileEndsBeforeAnyoneIsAsked() throws Exception {
        String repo = portal.existingRepository("shared-file", Map.of("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: shared-a}
                spec: {type: service, lifecycle: production, owner: payments}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata: {name: shared-b}
                spec: {type: service, lifecycle: production, owner: payments}
                """));
        portal.portal.catalog.register(new LocationSpec("url", repo + "/-/blob/main/catalog-info.yaml"), Location.Origin.API);
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "shared-a", "reason": "split up"}
                """);

        Run done = portal.awaitFinal(run.id());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.failedStep()).contains("canRemove");
        assertThat(done.errorMessage().orElseThrow()).contains("also describes [component:default/shared-b]");
        assertThat(portal.inbox.store().ofRun(run.id())).as("nobody was asked").isEmpty();
        assertThat(portal.commits("shared-file")).hasSize(1);
        assertThat(entity("component:default/shared-a")).isPresent();
    }

    @Test
    void decommissionOfAnUnknownComponentEndsAsFailedNamingIt() throws Exception {
        Run run = portal.start("decommission-component", ALICE, """
                {"component": "never-was", "reason": "cleanup"}
                """);

        Run done = portal.awaitFinal(run.id());

        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.errorMessage().orElseThrow()).contains("component:default/never-was must exist in the catalog");
    }
}
