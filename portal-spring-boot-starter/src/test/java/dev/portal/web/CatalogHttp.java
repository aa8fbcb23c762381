package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Plain HTTP against a running catalog API, sending what Backstage's client sends (JSON content type everywhere). */
final class CatalogHttp {

    record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {
        String errorName() {
            return body.path("error").path("name").asText(null);
        }

        String errorMessage() {
            return body.path("error").path("message").asText(null);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final String authorization;

    private CatalogHttp(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static CatalogHttp anonymous(int port) {
        return new CatalogHttp("http://127.0.0.1:" + port + "/api/catalog", null);
    }

    /** The Scaffolder API (or any other base path) of the same server. */
    static CatalogHttp anonymous(int port, String basePath) {
        return new CatalogHttp("http://127.0.0.1:" + port + basePath, null);
    }

    /** The same client (credentials included) against another base path of the server. */
    CatalogHttp rebased(String basePath) {
        return new CatalogHttp(base.substring(0, base.indexOf('/', "http://".length())) + basePath, authorization);
    }

    CatalogHttp as(String user, String password) {
        return new CatalogHttp(base, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer send(String method, String path, HttpRequest.BodyPublisher body) {
        return send(request(path).method(method, body));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                    response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
