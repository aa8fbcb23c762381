package dev.portal.catalog.ingest;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Credentials for reading from hosts, from the application's configuration (never from a location's
 * URL, which is stored and shown): git over HTTPS as user and password or token, and the token for a
 * host's REST API when discovery lists an organization's repositories. They are sent only to the host
 * they name, and only over HTTPS unless an entry allows plain HTTP.
 */
public final class HostCredentials {

    /**
     * One host's credentials.
     *
     * @param host the host name, as in URLs ({@code git.example.com}, or {@code host:port} to match one port only)
     * @param username the user name git sends (GitHub takes any with a token, e.g. {@code x-access-token};
     *     GitLab {@code oauth2}; Gitea, Bitbucket and Azure DevOps the account or any)
     * @param password the password or access token
     * @param allowHttp whether to send them over plain HTTP too (for a test server on this machine only)
     */
    public record Entry(String host, String username, String password, boolean allowHttp) {

        public Entry {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(password, "password");
            host = host.trim().toLowerCase(Locale.ROOT);
            username = username == null || username.isBlank() ? "portal" : username;
        }

        @Override
        public String toString() {
            return "Entry[host=" + host + ", username=" + username + ", password=***]";
        }
    }

    private static final HostCredentials NONE = new HostCredentials(List.of());

    private final List<Entry> entries;

    public HostCredentials(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No credentials: every read is anonymous. */
    public static HostCredentials none() {
        return NONE;
    }

    /** The entry for a URL's host, if any and if the URL's scheme may carry it. */
    public Optional<Entry> forUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String hostPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
        return entries.stream()
                .filter(entry -> entry.host().equals(hostPort) || entry.host().equals(host))
                .filter(entry -> scheme.equals("https") || entry.allowHttp())
                .findFirst();
    }

    /** JGit credentials for a repository URL, or {@code null} for anonymous access. */
    public CredentialsProvider forRepository(String repository) {
        return forUrl(repository)
                .map(entry -> (CredentialsProvider) new UsernamePasswordCredentialsProvider(entry.username(), entry.password()))
                .orElse(null);
    }
}
