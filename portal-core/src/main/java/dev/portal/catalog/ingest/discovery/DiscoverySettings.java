package dev.portal.catalog.ingest.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One repository discovery: which repositories to look into and which files in them are descriptors.
 *
 * @param id the discovery's id; the location {@code discovery:<id>} runs it
 * @param repositories repository URLs (clone URLs) to look into
 * @param urlPattern a repository URL with {@code {name}}, filled with each of {@code names}; or {@code null}
 * @param names the names for {@code urlPattern}
 * @param organization a host organization whose repositories are listed through the host's REST API, or {@code null}
 * @param catalogPath glob of descriptor files in a repository ({@code catalog-info.yaml}, {@code **}{@code /catalog-info.yaml})
 */
public record DiscoverySettings(String id, List<String> repositories, String urlPattern, List<String> names,
                                Organization organization, String catalogPath) {

    public DiscoverySettings {
        Objects.requireNonNull(id, "id");
        repositories = repositories == null ? List.of() : List.copyOf(repositories);
        names = names == null ? List.of() : List.copyOf(names);
        catalogPath = catalogPath == null || catalogPath.isBlank() ? "catalog-info.yaml" : catalogPath;
        if (urlPattern != null && !urlPattern.contains("{name}")) {
            throw new IllegalArgumentException("discovery '" + id + "': url-pattern must contain {name}");
        }
    }

    /**
     * A host organization.
     *
     * @param type {@code github}, {@code gitlab} or {@code gitea}
     * @param url the host's web URL ({@code https://github.com})
     * @param apiUrl the API base URL, or {@code null} for the host kind's default
     * @param name the organization, or the group path on GitLab
     * @param skipArchived whether archived repositories are left out
     */
    public record Organization(String type, String url, String apiUrl, String name, boolean skipArchived) {

        public Organization {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(name, "name");
            type = type.toLowerCase(Locale.ROOT);
            if (!List.of("github", "gitlab", "gitea").contains(type)) {
                throw new IllegalArgumentException("organization type must be github, gitlab or gitea, not '" + type + "'");
            }
            url = url.replaceAll("/+$", "");
        }

        /** The API base URL. */
        public String api() {
            if (apiUrl != null && !apiUrl.isBlank()) {
                return apiUrl.replaceAll("/+$", "");
            }
            return switch (type) {
                case "github" -> url.equals("https://github.com") ? "https://api.github.com" : url + "/api/v3";
                case "gitlab" -> url + "/api/v4";
                default -> url + "/api/v1";
            };
        }
    }
}
