package dev.portal.bpmn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.builtin.GitPublishSettings;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The portal as a host wires it, with the standard templates: the built-in actions on the in-JVM
 * engine and a scratch database, the approval inbox, the module's forms deployed, the templates
 * registered from the class path, and a small organisation in the catalog. New repositories are
 * bare repositories under {@code <dir>/git}.
 */
final class StandardPortal implements AutoCloseable {

    static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    static final EntityRef BOB = EntityRef.parse("user:default/bob");
    static final EntityRef ERIN = EntityRef.parse("user:default/erin");
    static final EntityRef CAROL = EntityRef.parse("user:default/carol");
    static final EntityRef DAVE = EntityRef.parse("user:default/dave");
    static final EntityRef FRANK = EntityRef.parse("user:default/frank");
    static final EntityRef PLATFORM = EntityRef.parse("group:default/platform");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESOURCES = Path.of("src/main/resources/dev/portal/bpmn");

    final ScaffolderFixture portal;
    final ZeebeApprovals approvals;
    final ApprovalInbox inbox;
    final Path gitRoot;
    final GitPublishSettings git;

    StandardPortal(Path dir) throws Exception {
        gitRoot = Files.createDirectories(dir.resolve("git"));
        git = GitPublishSettings.of("file://" + gitRoot + "/{name}.git");
        portal = new ScaffolderFixture(dir.resolve("workspaces"), catalog -> StandardActions.wired(catalog, git));
        approvals = new ZeebeApprovals(portal.engine.client(), Duration.ofHours(1), true, "test");
        // no nested groups: a member of payments is not, by that, a member of its parent engineering
        inbox = new ApprovalInbox(new ApprovalStore(portal.database.dsl()), portal.runs,
                new ApprovalPolicy(new CatalogGroups(portal.catalog.entities(), false), Set.of(PLATFORM)), approvals, List.of());
        approvals.open(() -> inbox);
        portal.scaffolder.onCancel(inbox::runCancelled);
        try (var forms = Files.list(RESOURCES.resolve("forms"))) {
            for (Path form : forms.toList()) {
                portal.deployer.deployForm(form.getFileName().toString(), Files.readAllBytes(form));
            }
        }
        portal.catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(dir.resolve("org.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: engineering}
                spec: {type: department, children: [payments]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: payments}
                spec: {type: team, parent: engineering, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: platform}
                spec: {type: team, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: design}
                spec: {type: team, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: System
                metadata: {name: payments-platform}
                spec: {owner: payments}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: alice}
                spec: {memberOf: [payments]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: bob}
                spec: {memberOf: [payments]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: erin}
                spec: {memberOf: [engineering]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: carol}
                spec: {memberOf: [platform]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: dave}
                spec: {memberOf: [design]}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: frank}
                spec: {memberOf: [payments, platform]}
                """)), Location.Origin.CONFIG);
        var templates = portal.catalog.register(new LocationSpec("classpath", "dev/portal/bpmn/templates/all.yaml"),
                Location.Origin.CONFIG);
        assertThat(templates.errors()).as("the standard templates are valid catalog entities").isEmpty();
    }

    Run start(String template, EntityRef requester, String values) throws IOException {
        return portal.scaffolder.start(EntityRef.parse("template:default/" + template), JSON.readTree(values),
                requester.canonical());
    }

    /** The open approval task of a run at {@code stepId}, once the inbox has it. */
    ApprovalTask awaitTask(UUID runId, String stepId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ApprovalTask> open = inbox.store().openOfRun(runId).stream()
                    .filter(task -> task.stepId().equals(stepId)).findFirst();
            if (open.isPresent()) {
                return open.get();
            }
            sleep();
        }
        throw new AssertionError("no open task " + stepId + " for run " + runId + "; events "
                + portal.runs.events(runId, 0, 200));
    }

    /** Until the run has ended: completed, rejected, cancelled or failed. */
    Run awaitFinal(UUID runId) {
        return portal.await(runId, run -> run.status().isFinal() || run.status() == RunStatus.FAILED);
    }

    void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 20 s").isLessThan(deadline);
            sleep();
        }
    }

    List<String> eventMessages(UUID runId) {
        return portal.runs.events(runId, 0, 1000).stream().map(event -> event.message()).toList();
    }

    Path repository(String name) {
        return gitRoot.resolve(name + ".git");
    }

    /** The commits of a bare repository's main branch, newest first. */
    List<RevCommit> commits(String name) throws Exception {
        try (Git repo = Git.open(repository(name).toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            repo.log().add(repo.getRepository().resolve(Constants.R_HEADS + "main")).call().forEach(commits::add);
            return commits;
        }
    }

    /** A file of main's head in a bare repository, or empty. */
    Optional<String> file(String name, String path) throws Exception {
        try (Repository repository = Git.open(repository(name).toFile()).getRepository()) {
            ObjectId head = repository.resolve(Constants.R_HEADS + "main");
            RevCommit commit = repository.parseCommit(head);
            try (TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
                if (walk == null) {
                    return Optional.empty();
                }
                try (InputStream in = repository.open(walk.getObjectId(0)).openStream()) {
                    return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** Every file path of main's head in a bare repository. */
    List<String> files(String name) throws Exception {
        try (Repository repository = Git.open(repository(name).toFile()).getRepository()) {
            RevCommit commit = repository.parseCommit(repository.resolve(Constants.R_HEADS + "main"));
            List<String> paths = new ArrayList<>();
            try (TreeWalk walk = new TreeWalk(repository)) {
                walk.addTree(commit.getTree());
                walk.setRecursive(true);
                while (walk.next()) {
                    paths.add(walk.getPathString());
                }
            }
            return paths;
        }
    }

    /** Creates a repository (the portal did not publish) holding {@code files}, under the publish root. */
    String existingRepository(String name, java.util.Map<String, String> files) throws Exception {
        return existingRepository(repository(name), files);
    }

    /** A repository at {@code bare} (anywhere) holding {@code files}; its URL. */
    String existingRepository(Path bare, java.util.Map<String, String> files) throws Exception {
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        Path work = Files.createTempDirectory("portal-existing-");
        try (Git repo = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            for (var file : files.entrySet()) {
                Path path = work.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            repo.add().addFilepattern(".").call();
            repo.commit().setMessage("the team's own history").setAuthor("team", "team@example.com")
                    .setCommitter("team", "team@example.com").setSign(false).call();
            repo.push().setRemote("file://" + bare).setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/main:refs/heads/main")).call();
        }
        return "file://" + bare;
    }

    JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        approvals.close();
        portal.close();
    }
}
