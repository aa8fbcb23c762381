package dev.portal.sample.durability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The sample app's REST API as its users call it (HTTP Basic as the demo users alice, bob and
 * carol, password demo): request a service, follow the run, decide approvals, read the catalog.
 */
final class PortalClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PortalClient(String base) {
        this.base = base;
    }

    /** A status and a parsed body (null when empty or not JSON). */
    record Answer(int status, JsonNode body, String text) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** The host's base URL, {@code http://127.0.0.1:<port>}. */
    String base() {
        return base;
    }

    Answer get(String user, String path) {
        return send(user, HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String user, String path, JsonNode body) {
        return send(user, HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.toString())));
    }

    private Answer send(String user, HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = response.body().isBlank() ? null : JSON.readTree(response.body());
            } catch (IOException e) {
                // not JSON
            }
            return new Answer(response.statusCode(), body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void awaitTemplate(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Answer templates = get(null, "/api/scaffolder/v2/templates");
                if (templates.ok() && templates.text().contains("template:default/" + name)) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not up yet
            }
            ChildJvm.sleep(100);
        }
        throw new IllegalStateException("template " + name + " not offered within " + timeout);
    }

    static ObjectNode serviceValues(String name) {
        ObjectNode values = JSON.createObjectNode()
                .put("name", name).put("owner", "payments").put("system", "payments").put("javaPackage", "com.acme.demo");
        return JSON.createObjectNode().put("templateRef", "template:default/create-service").set("values", values);
    }

    /** alice requests a service with the standard create-service template; the answer as is. */
    Answer requestService(String name) {
        return post("alice", "/api/scaffolder/v2/tasks", serviceValues(name));
    }

    UUID startService(String name) {
        Answer answer = requestService(name);
        if (answer.status() != 201) {
            throw new IllegalStateException("POST /v2/tasks for " + name + ": " + answer.status() + " " + answer.text());
        }
        return UUID.fromString(answer.body().path("id").asText());
    }

    JsonNode run(UUID runId) {
        Answer answer = get("alice", "/api/scaffolder/v2/tasks/" + runId);
        if (!answer.ok()) {
            throw new IllegalStateException("GET run " + runId + ": " + answer.status() + " " + answer.text());
        }
        return answer.body();
    }

    String status(UUID runId) {
        return runStatus(run(runId));
    }

    /** Portal's own status of a run ({@code runStatus}; {@code status} holds Backstage's name for it). */
    static String runStatus(JsonNode run) {
        return run.path("runStatus").asText(run.path("status").asText());
    }

    /** Portal's own kind of a run event ({@code body.kind}; {@code type} holds Backstage's). */
    static String kind(JsonNode event) {
        return event.path("body").path("kind").asText(event.path("type").asText());
    }

    /** The runs alice sees, newest first. */
    List<JsonNode> runs() {
        Answer answer = get("alice", "/api/scaffolder/v2/tasks?limit=500");
        if (!answer.ok()) {
            throw new IllegalStateException("GET /api/scaffolder/v2/tasks: " + answer.status() + " " + answer.text());
        }
        List<JsonNode> runs = new ArrayList<>();
        answer.body().path("tasks").forEach(runs::add);
        return runs;
    }

    List<JsonNode> events(UUID runId) {
        Answer answer = get("alice", "/api/scaffolder/v2/tasks/" + runId + "/events");
        if (!answer.ok()) {
            throw new IllegalStateException("GET events of " + runId + ": " + answer.status() + " " + answer.text());
        }
        List<JsonNode> events = new ArrayList<>();
        answer.body().forEach(events::add);
        return events;
    }

    /** bob's open approval task of the run, if his inbox has one. */
    Optional<JsonNode> approvalOf(UUID runId) {
        Answer inbox = get("bob", "/api/approvals/tasks");
        if (!inbox.ok()) {
            throw new IllegalStateException("GET /api/approvals/tasks: " + inbox.status() + " " + inbox.text());
        }
        for (JsonNode task : inbox.body().path("tasks")) {
            if (task.path("runId").asText().equals(runId.toString())) {
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }

    Answer approve(String taskId) {
        return post("bob", "/api/approvals/tasks/" + taskId + "/approve",
                JSON.createObjectNode().put("comment", "approved by the durability suite"));
    }

    JsonNode audit(UUID runId) {
        Answer answer = get("alice", "/api/approvals/runs/" + runId + "/audit");
        if (!answer.ok()) {
            throw new IllegalStateException("GET audit of " + runId + ": " + answer.status() + " " + answer.text());
        }
        return answer.body();
    }

    /** Receives one streamed event: its id and when it arrived ({@link System#nanoTime}). */
    interface StreamedEvent {
        void received(long id, long at);
    }

    /**
     * Follows the run's live event stream (Server-Sent Events) until the server ends it (the run
     * reached a final status), handing each event's id to {@code sink}.
     */
    void stream(String user, UUID runId, StreamedEvent sink) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/scaffolder/v2/tasks/" + runId + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofMinutes(2))
                .GET().build();
        try {
            HttpResponse<java.util.stream.Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("event stream of " + runId + ": " + response.statusCode());
            }
            response.body().forEach(line -> {
                if (line.startsWith("id:")) {
                    sink.received(Long.parseLong(line.substring(3).trim()), System.nanoTime());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Optional<JsonNode> component(String name) {
        Answer answer = get("alice", "/api/catalog/entities/by-name/component/default/" + name);
        return answer.status() == 404 ? Optional.empty() : Optional.of(answer.body());
    }
}
