package dev.portal.sample.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.sample.durability.CrashPoints.Point;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Scaffolder measured as its users see it: the sample app started in its own JVM, driven over
 * its REST API from this process. Prints figures; asserts nothing.
 *
 * <ul>
 *   <li>{@code latency}: approve → the next step starting (the standard create-service template:
 *   the approval's start on this side, the render step's {@code startedAt} on the server's), both
 *   over the REST API with HTTP Basic and as a person does, with the web UI's Approve button in a
 *   session signed in once ({@link UiSession}),
 *   and a whole run of a 100-file template (render + publish to a bare repository + register +
 *   log; the run's {@code createdAt} → {@code finishedAt}), p50/p95 over {@code --runs}, with the
 *   sample's in-JVM engine and with the engine in its own JVM;</li>
 *   <li>{@code throughput}: {@code --burst} runs of the 100-file template requested at once, on
 *   one host and then on two hosts sharing the database and the engine: runs per minute;</li>
 *   <li>{@code recovery}: a host killed while a run's publish step is pushing, a new host started
 *   on the same database and engine: kill → host up → run completed.</li>
 * </ul>
 *
 * <pre>./mvnw -q -pl sample-app -am -Pbench-durability verify -DskipTests -Dbench.runs=100</pre>
 *
 * ({@code -Dbench.what=latency,throughput,recovery} picks parts, {@code -Dbench.engines=in-jvm,process}
 * the engines of the latency part, {@code -Dbench.host-args="--a=b --c=d"} adds host arguments.)
 */
public final class ScaffolderHostBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        ChildJvm.quickStart = false;
        int runs = Integer.parseInt(arg(args, "--runs=", System.getProperty("bench.runs", "100")));
        int files = Integer.parseInt(arg(args, "--files=", "100"));
        int burst = Integer.parseInt(arg(args, "--burst=", "40"));
        int recoveries = Integer.parseInt(arg(args, "--recoveries=", "3"));
        List<String> what = Arrays.asList(arg(args, "--what=", System.getProperty("bench.what", "latency,throughput,recovery")).split(","));
        List<String> hostArgs = Arrays.stream(arg(args, "--host-args=", System.getProperty("bench.host-args", "")).split(" "))
                .filter(a -> !a.isBlank()).toList();
        Path template = writeTemplate(ChildJvm.LOGS.resolve("bench-template"), files);
        List<String> report = new ArrayList<>();
        try {
            if (what.contains("latency")) {
                List<String> engines = Arrays.asList(System.getProperty("bench.engines", "in-jvm,process").split(","));
                for (boolean engineProcess : new boolean[] {false, true}) {
                    if (engines.contains(engineProcess ? "process" : "in-jvm")) {
                        report.addAll(latency(engineProcess, hostArgs, template, runs, files));
                    }
                }
            }
            if (what.contains("throughput")) {
                report.addAll(throughput(hostArgs, template, burst));
            }
            if (what.contains("recovery")) {
                report.addAll(recovery(hostArgs, recoveries));
            }
        } finally {
            System.out.println();
            System.out.println("Scaffolder host bench (" + String.join(" ", hostArgs) + ")");
            report.forEach(System.out::println);
        }
        System.exit(0);
    }

    private static List<String> latency(boolean engineProcess, List<String> hostArgs, Path template, int runs, int files) throws Exception {
        String mode = engineProcess ? "engine in its own JVM" : "in-JVM engine";
        List<String> lines = new ArrayList<>();
        try (DurabilityHarness harness = DurabilityHarness.create(engineProcess ? "bench-process" : "bench-injvm", hostArgs,
                engineProcess, false)) {
            HostProcess host = harness.startHost();
            PortalClient client = host.client();
            register(client, template);
            Approver api = Approver.api(client);
            Approver ui = Approver.ui(UiSession.signIn(client.base(), "bob"));
            for (int i = 0; i < 5; i++) {
                approveToNextStep(client, "warm" + i, api);
                approveToNextStep(client, "warmui" + i, ui);
                fullRun(client, "warm" + i);
            }
            List<Double> approveToStep = new ArrayList<>();
            List<Double> approveCall = new ArrayList<>();
            List<Double> decidedToStep = new ArrayList<>();
            List<Double> approveToCompleted = new ArrayList<>();
            List<Double> uiApproveToStep = new ArrayList<>();
            List<Double> uiApproveCall = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                double[] one = approveToNextStep(client, "approve" + i, api);
                approveToStep.add(one[0]);
                approveCall.add(one[1]);
                decidedToStep.add(one[2]);
                approveToCompleted.add(one[3]);
                one = approveToNextStep(client, "approveui" + i, ui);
                uiApproveToStep.add(one[0]);
                uiApproveCall.add(one[1]);
            }
            List<Double> server = new ArrayList<>();
            List<Double> seen = new ArrayList<>();
            List<List<Double>> segments = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                double[] one = fullRun(client, "full" + i);
                server.add(one[0]);
                seen.add(one[1]);
                for (int s = 2; s < one.length; s++) {
                    if (segments.size() < s - 1) {
                        segments.add(new ArrayList<>());
                    }
                    segments.get(s - 2).add(one[s]);
                }
            }
            List<Double> anonymous = new ArrayList<>();
            List<Double> signedIn = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                long start = System.nanoTime();
                client.get(null, "/api/catalog/entities/by-name/group/default/payments");
                anonymous.add((System.nanoTime() - start) / 1e6);
                start = System.nanoTime();
                client.get("bob", "/api/catalog/entities/by-name/group/default/payments");
                signedIn.add((System.nanoTime() - start) / 1e6);
            }
            lines.add("  " + mode + ", host up in " + host.startUp().toMillis() + " ms:");
            lines.add(figures("    approve in the web UI (signed-in session, form post) -> next step started", uiApproveToStep));
            lines.add(figures("      of which the form post (decision stored, job completed, 303 answered)", uiApproveCall));
            lines.add(figures("    approve over the REST API (HTTP Basic) -> next step started (create-service, render)", approveToStep));
            lines.add(figures("      of which the approve call (bcrypt check, decision stored, job completed)", approveCall));
            lines.add(figures("      decision stored -> next step started", decidedToStep));
            lines.add(figures("    approve -> run completed (render, publish, register, announce)", approveToCompleted));
            lines.add(figures("    full run, " + files + " files, created -> finished (server)", server));
            lines.add(figures("    full run, POST -> completed seen by the client (10 ms polls)", seen));
            for (int s = 0; s < segments.size(); s++) {
                lines.add(figures("      " + SEGMENTS.get(s), segments.get(s)));
            }
            lines.add(figures("    GET by-name, anonymous", anonymous));
            lines.add(figures("    GET by-name, HTTP Basic as bob (the demo users' bcrypt check on every request)", signedIn));
        }
        return lines;
    }

    /**
     * How bob approves a task; answers when the approval left the client and when its answer came
     * back. Reading the task first (the page the person looks at) is not timed.
     */
    private interface Approver {

        Instant[] approve(String taskId);

        /** The REST API, with HTTP Basic (the sample's demo users: a bcrypt check per request). */
        static Approver api(PortalClient client) {
            return taskId -> {
                Instant approving = Instant.now();
                PortalClient.Answer answer = client.approve(taskId);
                Instant answered = Instant.now();
                if (answer.status() != 200) {
                    throw new IllegalStateException("approve: " + answer.status() + " " + answer.text());
                }
                return new Instant[] {approving, answered};
            };
        }

        /** The web UI's task page and its Approve button, in a session signed in once. */
        static Approver ui(UiSession session) {
            return taskId -> {
                String path = "/portal/approvals/" + taskId;
                String token = UiSession.csrfToken(session.page(path), path);
                Instant approving = Instant.now();
                int status = session.post(path + "/decide", Map.of("decision", "approve",
                        "comment", "approved in the web UI by the bench", "_csrf", token));
                Instant answered = Instant.now();
                if (status != 303) {
                    throw new IllegalStateException("approve in the web UI: " + status);
                }
                return new Instant[] {approving, answered};
            };
        }
    }

    /** [approve→step ms, approve call ms, decidedAt→step ms, approve→completed ms] */
    private static double[] approveToNextStep(PortalClient client, String prefix, Approver approver) {
        String service = DurabilityHarness.serviceName(prefix);
        UUID run = client.startService(service);
        JsonNode task = DurabilityHarness.await("approval", Duration.ofSeconds(30), () -> client.approvalOf(run).orElse(null));
        Instant[] approval = approver.approve(task.path("id").asText());
        Instant approving = approval[0];
        Instant answered = approval[1];
        JsonNode done = DurabilityHarness.await("run completed", Duration.ofSeconds(60), () -> {
            JsonNode now = client.run(run);
            String status = PortalClient.runStatus(now);
            if (status.equals("failed") || status.equals("rejected")) {
                throw new IllegalStateException("run " + run + " " + status + ": " + now);
            }
            return status.equals("completed") ? now : null;
        });
        Instant render = null;
        for (JsonNode step : done.path("steps")) {
            if (step.path("id").asText().equals("render")) {
                render = Instant.parse(step.path("startedAt").asText());
            }
        }
        Instant decided = Instant.parse(client.audit(run).path("decisions").get(0).path("decidedAt").asText());
        Instant finished = Instant.parse(done.path("finishedAt").asText());
        return new double[] {millis(approving, render), millis(approving, answered), millis(decided, render),
                millis(approving, finished)};
    }

    /** [createdAt→finishedAt ms, POST→completed seen ms] */
    private static double[] fullRun(PortalClient client, String prefix) {
        ObjectNode request = JSON.createObjectNode().put("templateRef", "template:default/bench-service");
        request.putObject("values").put("name", DurabilityHarness.serviceName(prefix));
        long posted = System.nanoTime();
        PortalClient.Answer answer = client.post("alice", "/api/scaffolder/v2/tasks", request);
        if (answer.status() != 201) {
            throw new IllegalStateException("POST bench-service: " + answer.status() + " " + answer.text());
        }
        UUID run = UUID.fromString(answer.body().path("id").asText());
        JsonNode done;
        while (true) {
            done = client.run(run);
            String status = PortalClient.runStatus(done);
            if (status.equals("completed")) {
                break;
            }
            if (status.equals("failed") || System.nanoTime() - posted > 120_000_000_000L) {
                throw new IllegalStateException("bench run " + run + " " + status + ": " + done);
            }
            ChildJvm.sleep(10);
        }
        double seen = (System.nanoTime() - posted) / 1e6;
        Instant created = Instant.parse(done.path("createdAt").asText());
        Instant finished = Instant.parse(done.path("finishedAt").asText());
        List<Double> result = new ArrayList<>(List.of(millis(created, finished), seen));
        // where the time went: each step's own time and the hand-over before it
        Instant previous = created;
        for (String stepId : List.of("render", "publish", "register", "announce")) {
            JsonNode step = null;
            for (JsonNode candidate : done.path("steps")) {
                if (candidate.path("id").asText().equals(stepId)) {
                    step = candidate;
                }
            }
            Instant started = Instant.parse(step.path("startedAt").asText());
            Instant ended = Instant.parse(step.path("finishedAt").asText());
            result.add(millis(previous, started));
            result.add(millis(started, ended));
            previous = ended;
        }
        result.add(millis(previous, finished));
        // inside publish, from its log lines' times: commit in a scratch repository and create the
        // bare one, look at the remote, push
        Instant publishStarted = null;
        Instant repositoryCreated = null;
        Instant pushing = null;
        Instant pushed = null;
        for (JsonNode event : client.events(run)) {
            String message = event.path("body").path("message").asText();
            Instant at = Instant.parse(event.path("createdAt").asText());
            if (!"publish".equals(event.path("body").path("stepId").asText())) {
                continue;
            }
            if (PortalClient.kind(event).equals("step-started")) {
                publishStarted = at;
            } else if (message.startsWith("Created the bare repository")) {
                repositoryCreated = at;
            } else if (message.startsWith("Pushing ")) {
                pushing = at;
            } else if (message.startsWith("Pushed commit")) {
                pushed = at;
            }
        }
        result.add(millis(publishStarted, repositoryCreated));
        result.add(millis(repositoryCreated, pushing));
        result.add(millis(pushing, pushed));
        return result.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static final List<String> SEGMENTS = List.of(
            "created -> render started (instance created, first job handed over)", "render (100 files)",
            "render finished -> publish started (job completed, next job handed over)", "publish (commit + push to a bare repository)",
            "publish finished -> register started", "register (read back from git, store the component)",
            "register finished -> announce started", "announce (log)",
            "announce finished -> run finished (process end listener job)",
            "publish: started -> bare repository created (add + commit of the files in a scratch repository)",
            "publish: -> 'Pushing' (ls-remote of the new repository)",
            "publish: 'Pushing' -> 'Pushed' (the push over file://)");

    private static List<String> throughput(List<String> hostArgs, Path template, int burst) throws Exception {
        List<String> lines = new ArrayList<>();
        try (DurabilityHarness harness = DurabilityHarness.create("bench-throughput", hostArgs, true, false)) {
            HostProcess one = harness.startHost();
            register(one.client(), template);
            for (int i = 0; i < 3; i++) {
                fullRun(one.client(), "warm" + i);
            }
            lines.add(burst(List.of(one), burst, "  one host"));
            HostProcess two = harness.startHost();
            for (int i = 0; i < 3; i++) {
                fullRun(two.client(), "warm2-" + i);
            }
            lines.add(burst(List.of(one, two), burst, "  two hosts"));
        }
        return lines;
    }

    private static String burst(List<HostProcess> hosts, int count, String label) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<UUID>> started = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            PortalClient client = hosts.get(i % hosts.size()).client();
            String name = DurabilityHarness.serviceName("burst" + hosts.size() + "-" + i);
            started.add(clients.submit(() -> {
                ObjectNode request = JSON.createObjectNode().put("templateRef", "template:default/bench-service");
                request.putObject("values").put("name", name);
                PortalClient.Answer answer = client.post("alice", "/api/scaffolder/v2/tasks", request);
                if (answer.status() != 201) {
                    throw new IllegalStateException("POST: " + answer.status() + " " + answer.text());
                }
                return UUID.fromString(answer.body().path("id").asText());
            }));
        }
        PortalClient reader = hosts.getFirst().client();
        for (Future<UUID> run : started) {
            UUID id = run.get();
            DurabilityHarness.await("burst run completed", Duration.ofMinutes(5), () -> {
                String status = reader.status(id);
                if (status.equals("failed")) {
                    throw new IllegalStateException("run " + id + " failed");
                }
                return status.equals("completed") ? status : null;
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        clients.shutdown();
        return String.format("%s: %d runs of the 100-file template requested at once, all completed in %.1f s = %.0f runs/minute",
                label, count, seconds, count / seconds * 60);
    }

    private static List<String> recovery(List<String> hostArgs, int times) {
        List<String> lines = new ArrayList<>();
        try (DurabilityHarness harness = DurabilityHarness.create("bench-recovery", hostArgs, true, true)) {
            HostProcess host = harness.startHost();
            for (int i = 0; i < times; i++) {
                PortalClient client = host.client();
                String service = DurabilityHarness.serviceName("recover" + i);
                UUID run = client.startService(service);
                String task = DurabilityHarness.awaitApproval(client, run, Duration.ofSeconds(30)).path("id").asText();
                harness.points().arm(Point.PUSHING);
                client.approve(task);
                harness.points().awaitReached(Point.PUSHING, Duration.ofSeconds(30));
                long killed = System.nanoTime();
                host.kill();
                harness.points().release(Point.PUSHING);
                host = harness.startHost();
                long up = System.nanoTime();
                DurabilityHarness.awaitStatus(host.client(), run, "completed", Duration.ofMinutes(6));
                long done = System.nanoTime();
                lines.add(String.format("  recovery %d: killed while pushing -> new host up %.1f s -> run completed %.1f s later (%.1f s in all)",
                        i + 1, (up - killed) / 1e9, (done - up) / 1e9, (done - killed) / 1e9));
            }
        }
        return lines;
    }

    private static void register(PortalClient client, Path template) {
        ObjectNode location = JSON.createObjectNode().put("type", "file").put("target", template.toString());
        PortalClient.Answer answer = client.post("alice", "/api/catalog/locations", location);
        if (!answer.ok()) {
            throw new IllegalStateException("registering the bench template: " + answer.status() + " " + answer.text());
        }
        client.awaitTemplate("bench-service", Duration.ofSeconds(60));
    }

    private static String figures(String label, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)", label, sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.getLast(), sorted.size());
    }

    private static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    /** The 100-file template of the Scaffolder's in-process bench: render → publish → register → log. */
    private static Path writeTemplate(Path folder, int files) throws IOException {
        Path skeleton = Files.createDirectories(folder.resolve("skeleton"));
        Files.writeString(skeleton.resolve("catalog-info.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: ${values.name}
                spec:
                  type: service
                  lifecycle: experimental
                  owner: group:default/payments
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
        Files.writeString(folder.resolve("bench-service.bpmn"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench" targetNamespace="http://portal.dev/bench">
                  <bpmn:process id="bench-service" isExecutable="true">
                    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
                    <bpmn:serviceTask id="render"><bpmn:extensionElements><zeebe:taskDefinition type="portal.fetch-template" /></bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
                    <bpmn:serviceTask id="publish"><bpmn:extensionElements><zeebe:taskDefinition type="portal.publish-git" /><zeebe:ioMapping><zeebe:input source="=values.name" target="repoName" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:serviceTask>
                    <bpmn:serviceTask id="register"><bpmn:extensionElements><zeebe:taskDefinition type="portal.catalog-register" /></bpmn:extensionElements><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:serviceTask>
                    <bpmn:serviceTask id="announce"><bpmn:extensionElements><zeebe:taskDefinition type="portal.log" /><zeebe:ioMapping><zeebe:input source="=&quot;created &quot; + entityRef" target="message" /></zeebe:ioMapping></bpmn:extensionElements><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:serviceTask>
                    <bpmn:endEvent id="end"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
                    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="render" />
                    <bpmn:sequenceFlow id="f2" sourceRef="render" targetRef="publish" />
                    <bpmn:sequenceFlow id="f3" sourceRef="publish" targetRef="register" />
                    <bpmn:sequenceFlow id="f4" sourceRef="register" targetRef="announce" />
                    <bpmn:sequenceFlow id="f5" sourceRef="announce" targetRef="end" />
                  </bpmn:process>
                </bpmn:definitions>
                """);
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: bench-service
                spec:
                  owner: group:default/payments
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
        return template;
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
