package dev.portal.catalog.ingest.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portal.catalog.ingest.HostCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the repositories of an organization through its host's REST API (GitHub and GitHub
 * Enterprise, GitLab groups with their sub-groups, Gitea and Forgejo), page by page, with the host's
 * token from configuration. Only the clone URLs are used; the repositories are then read with git.
 */
final class HostOrganizations {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE_SIZE = 50;
    private static final int MAX_PAGES = 200;

    private final HttpClient client;
    private final Duration timeout;
    private final HostCredentials credentials;
    private final int maxBytes;

    HostOrganizations(Duration timeout, HostCredentials credentials, int maxBytes) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.credentials = credentials;
        this.maxBytes = maxBytes;
    }

    /** A repository the host lists. */
    record Listed(String cloneUrl, boolean archived) {
    }

    /**
     * Every repository of the organization.
     *
     * @throws IOException when the host cannot be reached or answers with anything but a list
     */
    List<Listed> list(DiscoverySettings.Organization organization) throws IOException {
        List<Listed> all = new ArrayList<>();
        for (int page = 1; page <= MAX_PAGES; page++) {
            JsonNode items = get(organization, pageUrl(organization, page));
            if (!items.isArray()) {
                throw new IOException(organization.api() + " answered with something other than a list of repositories");
            }
            for (JsonNode item : items) {
                String clone = text(item, organization.type().equals("gitlab") ? "http_url_to_repo" : "clone_url");
                if (clone != null) {
                    all.add(new Listed(clone, item.path("archived").asBoolean(false)));
                }
            }
            if (items.size() < PAGE_SIZE) {
                return all;
            }
        }
        throw new IOException(organization.name() + " lists more than " + MAX_PAGES * PAGE_SIZE + " repositories");
    }

    private static String pageUrl(DiscoverySettings.Organization organization, int page) {
        String name = URLEncoder.encode(organization.name(), StandardCharsets.UTF_8);
        return switch (organization.type()) {
            case "github" -> organization.api() + "/orgs/" + name + "/repos?per_page=" + PAGE_SIZE + "&page=" + page;
            case "gitlab" -> organization.api() + "/groups/" + name + "/projects?include_subgroups=true&per_page="
                    + PAGE_SIZE + "&page=" + page;
            default -> organization.api() + "/orgs/" + name + "/repos?limit=" + PAGE_SIZE + "&page=" + page;
        };
    }

    private JsonNode get(DiscoverySettings.Organization organization, String url) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET().timeout(timeout)
                .header("Accept", "application/json");
        credentials.forUrl(url).ifPresent(entry -> request.header("Authorization",
                (organization.type().equals("gitea") ? "token " : "Bearer ") + entry.password()));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing " + organization.name());
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(URI.create(url).getHost() + " answered HTTP " + response.statusCode()
                        + " when asked for the repositories of " + organization.name());
            }
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new IOException("a page of repositories of " + organization.name() + " is larger than " + maxBytes
                        + " bytes");
            }
            return JSON.readTree(body);
        }
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
