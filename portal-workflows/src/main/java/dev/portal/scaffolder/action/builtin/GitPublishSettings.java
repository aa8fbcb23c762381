package dev.portal.scaffolder.action.builtin;

import dev.portal.catalog.ingest.GitTarget;
import dev.portal.error.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and as whom {@link PublishGitAction} publishes repositories; bound from
 * {@code portal.scaffolder.git.*}. A {@code null} component takes its default.
 *
 * @param urlPattern the URL of a new repository, with {@code {name}} (required) and {@code {owner}}
 *     placeholders, e.g. {@code https://git.example.com/{owner}/{name}.git} or
 *     {@code file:///srv/git/{name}.git}; {@code file}, {@code http} and {@code https} URLs. Put
 *     credentials in {@code username}/{@code password}, never in the URL
 * @param username the user name to authenticate with over HTTP; {@code x-access-token} when only a
 *     password (token) is given
 * @param password the password or access token to authenticate with over HTTP; anonymous when
 *     neither it nor the user name is set
 * @param defaultBranch the branch to publish to when the step names none; {@code main} by default
 * @param authorName the name of the author and committer of published commits; {@code Portal
 *     Scaffolder} by default
 * @param authorEmail the email of the author and committer of published commits;
 *     {@code scaffolder@portal.local} by default
 * @param createMissingFileRepositories whether to create the bare repository of a {@code file:}
 *     URL that does not exist yet; {@code true} by default. Remote hosts create their own
 *     repositories (or accept a push that creates one)
 * @param pushTimeout how long one remote operation (listing, fetching or pushing) may take; 60 s by
 *     default, rounded up to whole seconds
 */
public record GitPublishSettings(String urlPattern, String username, String password, String defaultBranch,
                                 String authorName, String authorEmail, Boolean createMissingFileRepositories,
                                 Duration pushTimeout) {

    private static final Set<String> SCHEMES = Set.of("file", "http", "https");

    public GitPublishSettings {
        Objects.requireNonNull(urlPattern, "urlPattern");
        if (!urlPattern.contains("{name}")) {
            throw new IllegalArgumentException("urlPattern '" + urlPattern
                    + "' must contain {name}: every published repository needs its own URL");
        }
        checkPattern(urlPattern);
        defaultBranch = blankToNull(defaultBranch) == null ? "main" : defaultBranch;
        authorName = blankToNull(authorName) == null ? "Portal Scaffolder" : authorName;
        authorEmail = blankToNull(authorEmail) == null ? "scaffolder@portal.local" : authorEmail;
        createMissingFileRepositories = createMissingFileRepositories == null || createMissingFileRepositories;
        pushTimeout = pushTimeout == null ? Duration.ofSeconds(60) : pushTimeout;
        if (pushTimeout.isNegative() || pushTimeout.isZero()) {
            throw new IllegalArgumentException("pushTimeout must be positive, was " + pushTimeout);
        }
        username = blankToNull(username);
        password = blankToNull(password);
    }

    /** Settings with this URL pattern and every other component at its default (anonymous access). */
    public static GitPublishSettings of(String urlPattern) {
        return new GitPublishSettings(urlPattern, null, null, null, null, null, null, null);
    }

    /** These settings, authenticating with {@code username} and {@code password} (or token). */
    public GitPublishSettings withCredentials(String username, String password) {
        return new GitPublishSettings(urlPattern, username, password, defaultBranch, authorName, authorEmail,
                createMissingFileRepositories, pushTimeout);
    }

    /**
     * The URL to push to for {@code repoUrl} (a URL to browse or clone, as {@link PublishGitAction}
     * reports it) if it is a repository of {@link #urlPattern()}: the pattern's {@code {name}} and
     * {@code {owner}} each stand for one path segment. Actions that change existing repositories
     * use this so that they write, with these credentials, only where the portal publishes.
     */
    public Optional<String> pushUrlFor(String repoUrl) {
        if (repoUrl == null) {
            return Optional.empty();
        }
        String template = urlPattern.replaceFirst("://[^/@]*@", "://");
        StringBuilder regex = new StringBuilder("^");
        Matcher placeholders = Pattern.compile("\\{(name|owner)}").matcher(template);
        int last = 0;
        List<String> order = new ArrayList<>();
        while (placeholders.find()) {
            regex.append(Pattern.quote(template.substring(last, placeholders.start()))).append("([A-Za-z0-9._-]+)");
            order.add(placeholders.group(1));
            last = placeholders.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("$");
        Matcher matcher = Pattern.compile(regex.toString()).matcher(repoUrl.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String url = urlPattern;
        for (int i = 0; i < order.size(); i++) {
            if (matcher.group(i + 1).equals("..") || matcher.group(i + 1).equals(".")) {
                return Optional.empty();
            }
            url = url.replace("{" + order.get(i) + "}", matcher.group(i + 1));
        }
        return Optional.of(url);
    }

    /**
     * Whether a catalog {@code url} location target ({@code <repository URL>/-/blob/<branch>/<path>})
     * is in a repository of {@link #urlPattern()}: what the portal published itself, and may register
     * as trusted.
     */
    public boolean publishes(String locationTarget) {
        try {
            return pushUrlFor(GitTarget.parse(locationTarget).repository()).isPresent();
        } catch (InvalidInputException e) {
            return false;
        }
    }

    /** Whether a user name or password is configured. */
    public boolean hasCredentials() {
        return username != null || password != null;
    }

    /** The user name sent with {@link #password()}. */
    public String effectiveUsername() {
        return username != null ? username : "x-access-token";
    }

    // The record's default toString would print the password into logs and error reports.
    @Override
    public String toString() {
        return "GitPublishSettings[urlPattern=" + urlPattern + ", username=" + username
                + ", password=" + (password == null ? null : "******") + ", defaultBranch=" + defaultBranch
                + ", authorName=" + authorName + ", authorEmail=" + authorEmail
                + ", createMissingFileRepositories=" + createMissingFileRepositories
                + ", pushTimeout=" + pushTimeout + "]";
    }

    private static void checkPattern(String urlPattern) {
        URI sample;
        try {
            sample = new URI(urlPattern.replace("{name}", "name").replace("{owner}", "owner"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("urlPattern '" + urlPattern + "' is not a URL: " + e.getMessage(), e);
        }
        String scheme = sample.getScheme() == null ? null : sample.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("urlPattern '" + urlPattern
                    + "' must be a file:, http: or https: URL (use file:///path for repositories on disk)");
        }
        if (sample.getRawUserInfo() != null && sample.getRawUserInfo().contains(":")) {
            throw new IllegalArgumentException("urlPattern must not carry a password; set username and password"
                    + " instead, so that the URL can be shown and stored");
        }
        if (scheme.equals("file") && (sample.getRawAuthority() != null || sample.getPath() == null
                || !sample.getPath().startsWith("/"))) {
            throw new IllegalArgumentException("urlPattern '" + urlPattern + "' must be an absolute file URL,"
                    + " e.g. file:///srv/git/{name}.git");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
