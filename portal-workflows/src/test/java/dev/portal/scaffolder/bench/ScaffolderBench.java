package dev.portal.scaffolder.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.CatalogGroups;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.action.builtin.CatalogRegisterAction;
import dev.portal.scaffolder.action.builtin.FetchTemplateAction;
import dev.portal.scaffolder.action.builtin.GitPublishSettings;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.action.builtin.PublishGitAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.testing.ScaffolderFixture;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.zeebe.model.bpmn.Bpmn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How long a whole Scaffolder run takes on the in-JVM engine with the real actions: render a
 * skeleton of 100 files, publish it to a bare git repository, register it in the catalog (real
 * PostgreSQL), log. Then 20 runs started at once, for runs per minute.
 *
 * <pre>./mvnw -q -pl portal-workflows -am -Pbench-scaffolder verify -DskipTests -Dbench.runs=30</pre>
 */
public final class ScaffolderBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getProperty("bench.runs", arg(args, "--runs=", "30")));
        int concurrent = Integer.parseInt(arg(args, "--concurrent=", "20"));
        int files = Integer.parseInt(arg(args, "--files=", "100"));
        Path root = Files.createTempDirectory("portal-scaffolder-bench-");
        Path remotes = Files.createDirectories(root.resolve("remotes"));
        String pattern = remotes.toUri().toString().replace("file:/", "file:///") + "{name}.git";

        PickedUp pickedUp = new PickedUp();
        ScaffolderFixture bench = new ScaffolderFixture(root.resolve("workspaces"), catalog -> List.of(
                new FetchTemplateAction(LocationPolicy.allowAll()),
                new PublishGitAction(GitPublishSettings.of(pattern)),
                new CatalogRegisterAction(catalog, url -> url.startsWith(pattern.substring(0, pattern.indexOf('{')))),
                new LogAction(),
                pickedUp));
        try {
            Path template = writeTemplate(root.resolve("template"), files);
            bench.catalog.register(CatalogTestSupport.fileLocation(template), Location.Origin.CONFIG);
            EntityRef ref = EntityRef.parse("template:default/bench-service");

            for (int i = 0; i < 3; i++) {
                complete(bench, bench.scaffolder.start(ref, values("warmup-" + i), "user:default/bench"));
            }

            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                complete(bench, bench.scaffolder.start(ref, values("seq-" + i), "user:default/bench"));
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            Collections.sort(millis);

            long burstStart = System.nanoTime();
            List<UUID> burst = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(concurrent);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < concurrent; i++) {
                String name = "burst-" + i;
                Thread.ofVirtual().start(() -> {
                    try {
                        Run run = bench.scaffolder.start(ref, values(name), "user:default/bench");
                        synchronized (burst) {
                            burst.add(run.id());
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    } finally {
                        started.countDown();
                    }
                });
            }
            started.await();
            if (failure.get() != null) {
                throw new IllegalStateException(failure.get());
            }
            for (UUID id : burst) {
                complete(bench, bench.runs.find(id).orElseThrow());
            }
            double burstSeconds = (System.nanoTime() - burstStart) / 1e9;

            List<Long> approvalMicros = approvals(bench, pickedUp, root, runs < 100 ? 100 : runs);

            System.out.printf("Scaffolder bench: %d-file skeleton, render + publish (bare repo) + register + log, in-JVM engine%n", files);
            System.out.printf("  sequential runs: %d, per run p50 %d ms, p95 %d ms, max %d ms%n", runs,
                    millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1), millis.getLast());
            System.out.printf("  %d runs started at once: all completed in %.2f s = %.0f runs/minute%n", concurrent,
                    burstSeconds, concurrent / burstSeconds * 60);
            System.out.printf("Approvals: approve call -> next step's job picked up, %d runs: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                    approvalMicros.size(), approvalMicros.get(approvalMicros.size() / 2) / 1000.0,
                    approvalMicros.get((int) Math.ceil(approvalMicros.size() * 0.95) - 1) / 1000.0, approvalMicros.getLast() / 1000.0);
        } finally {
            bench.close();
        }
        // the in-JVM engine leaves a non-daemon timer thread behind
        System.exit(0);
    }

    /** Times from the decision call until the step after the user task starts executing. */
    private static List<Long> approvals(ScaffolderFixture bench, PickedUp pickedUp, Path root, int runs) throws Exception {
        Path folder = Files.createDirectories(root.resolve("approval-template"));
        Files.writeString(folder.resolve("approval.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("approval")
                .startEvent()
                .userTask("review", task -> task.zeebeCandidateUsers("bob"))
                .serviceTask("next", task -> task.zeebeJobType(PickedUp.ID))
                .endEvent()
                .done()));
        Path template = CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: approval}
                spec: {type: service, owner: group:default/bench, workflow: {processId: approval, resource: approval.bpmn}}
                """);
        bench.catalog.register(CatalogTestSupport.fileLocation(template), Location.Origin.CONFIG);
        ZeebeApprovals engine = new ZeebeApprovals(bench.engine.client(), java.time.Duration.ofHours(1), true, "bench");
        ApprovalInbox inbox = new ApprovalInbox(new ApprovalStore(bench.database.dsl()), bench.runs,
                new ApprovalPolicy(new CatalogGroups(bench.catalog.entities(), false), java.util.Set.of()), engine, List.of());
        engine.open(() -> inbox);
        EntityRef bob = EntityRef.parse("user:default/bob");
        List<Long> micros = new ArrayList<>();
        try {
            for (int i = 0; i < runs + 5; i++) {
                Run run = bench.scaffolder.start(EntityRef.parse("template:default/approval"), JSON.createObjectNode(), "user:default/bench");
                UUID taskKey = awaitTask(inbox, run.id());
                long decided = System.nanoTime();
                inbox.decide(taskKey, bob, true, null, null);
                long started = pickedUp.await(run.id());
                if (i >= 5) {
                    micros.add((started - decided) / 1000);
                }
                complete(bench, run);
            }
        } finally {
            engine.close();
        }
        Collections.sort(micros);
        return micros;
    }

    private static UUID awaitTask(ApprovalInbox inbox, UUID runId) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            var open = inbox.store().openOfRun(runId);
            if (!open.isEmpty()) {
                return open.getFirst().id();
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no approval task for run " + runId);
    }

    /** The step after the approval: notes when its job reached the worker. */
    private static final class PickedUp implements ScaffolderAction<ObjectNode, Void> {
        static final String ID = "bench.picked-up";
        private final java.util.concurrent.ConcurrentHashMap<UUID, Long> at = new java.util.concurrent.ConcurrentHashMap<>();

        long await(UUID runId) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!at.containsKey(runId)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the step after the approval never started for run " + runId);
                }
                Thread.sleep(0, 200_000);
            }
            return at.get(runId);
        }

        @Override
        public String id() {
            return ID;
        }

        @Override
        public String description() {
            return "notes when it runs";
        }

        @Override
        public Class<ObjectNode> inputType() {
            return ObjectNode.class;
        }

        @Override
        public ObjectNode inputSchema() {
            return JSON.createObjectNode().put("type", "object");
        }

        @Override
        public ObjectNode outputSchema() {
            return JSON.createObjectNode().put("type", "object");
        }

        @Override
        public Void execute(ObjectNode input, ActionContext context) {
            at.putIfAbsent(context.run().id(), System.nanoTime());
            return null;
        }
    }

    private static void complete(ScaffolderFixture bench, Run run) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            Run now = bench.runs.find(run.id()).orElseThrow();
            if (now.status() == RunStatus.COMPLETED) {
                return;
            }
            if (now.status() == RunStatus.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + run.id() + " did not complete: " + now.status() + " "
                        + now.errorMessage().orElse("") + " " + bench.runs.events(run.id(), 0, 100));
            }
            Thread.sleep(2);
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode values(String name) {
        return JSON.createObjectNode().put("name", name + "-" + UUID.randomUUID().toString().substring(0, 6));
    }

    private static Path writeTemplate(Path folder, int files) throws Exception {
        Path skeleton = Files.createDirectories(folder.resolve("skeleton"));
        Files.writeString(skeleton.resolve("catalog-info.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: ${values.name}
                spec:
                  type: service
                  lifecycle: experimental
                  owner: group:default/bench
                """);
        for (int i = 1; i < files; i++) {
            Path file = skeleton.resolve("src/module" + (i % 10) + "/File" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    package ${values.name.replace('-', '')}.module%d;

                    /** File %d of ${values.name}. */
                    public class File%d {
                    #foreach($i in [1..5])
                        public int value$i() { return $i; }
                    #end
                    }
                    """.formatted(i % 10, i, i));
        }
        Files.writeString(folder.resolve("bench-service.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("bench-service")
                .startEvent()
                .serviceTask("fetch", task -> task.zeebeJobType("portal.fetch-template"))
                .serviceTask("publish", task -> task.zeebeJobType("portal.publish-git").zeebeInputExpression("values.name", "repoName"))
                .serviceTask("register", task -> task.zeebeJobType("portal.catalog-register"))
                .serviceTask("announce", task -> task.zeebeJobType("portal.log").zeebeInputExpression("\"created \" + entityRef", "message"))
                .endEvent()
                .done()));
        return CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: bench-service
                spec:
                  owner: group:default/bench
                  type: service
                  parameters:
                    - required: [name]
                      properties:
                        name: {type: string}
                  workflow:
                    processId: bench-service
                    resource: bench-service.bpmn
                  skeleton: ./skeleton
                """);
    }

    private static String arg(String[] args, String prefix, String fallback) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return fallback;
    }
}
