package dev.portal.catalog.ingest;

import dev.portal.error.InvalidInputException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL somebody pasted, read as a place in a git repository: the repository JGit clones from, which
 * ref, and which file. Every shape maps onto the repository's own clone URL, so any host that speaks
 * git's smart HTTP works with JGit and no per-host token or API:
 *
 * <table>
 * <tr><th>host</th><th>shape</th></tr>
 * <tr><td>GitLab, and Portal's own form</td><td>{@code <repo>/-/blob/<ref>/<path>}, {@code /-/tree/<ref>/<dir>}, {@code /-/raw/<ref>/<path>}</td></tr>
 * <tr><td>GitHub, GitHub Enterprise</td><td>{@code /<owner>/<repo>/blob/<ref>/<path>}, {@code /tree/<ref>/<dir>}, {@code /raw/<ref>/<path>},
 *     {@code https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>}</td></tr>
 * <tr><td>Bitbucket Cloud</td><td>{@code https://bitbucket.org/<workspace>/<repo>/src/<ref>/<path>}</td></tr>
 * <tr><td>Bitbucket Server / Data Center</td><td>{@code /projects/<KEY>/repos/<repo>/browse/<path>?at=<ref>} (cloned from {@code /scm/<key>/<repo>.git})</td></tr>
 * <tr><td>Gitea, Forgejo</td><td>{@code /<owner>/<repo>/src/branch/<branch>/<path>}, {@code /src/tag/<tag>/<path>}</td></tr>
 * <tr><td>Azure DevOps</td><td>{@code /_git/<repo>?path=<path>&version=GB<branch>} (or {@code GT<tag>})</td></tr>
 * <tr><td>Gerrit / Gitiles</td><td>{@code <project>/+/refs/heads/<branch>/<path>} (a {@code /plugins/gitiles} prefix is dropped)</td></tr>
 * <tr><td>any</td><td>a repository URL ending in {@code .git} (or any {@code ssh://}, {@code git://}, {@code file:} URL without one of the
 *     markers above), or {@code https://<github.com|gitlab.com|bitbucket.org|codeberg.org|gitea.com>/<owner>/<repo>}: the default
 *     branch's {@code catalog-info.yaml} at the root</td></tr>
 * </table>
 *
 * <p>Where the ref and the path are written as one run of segments ({@code blob/feature/x/catalog-info.yaml}), a
 * branch name with slashes cannot be told from a folder by reading the URL: {@link #resolve} picks the
 * <em>longest</em> branch or tag of the remote ({@code ls-remote}) that the segments start with. A ref may also be
 * written in full ({@code refs/heads/feature/x}), which is what {@link GitTarget#format()} writes for such branches.
 *
 * <p>A URL of no git shape is a plain file for the HTTP reader ({@link #parse} answers empty), unless it names no
 * file either (its last segment has no {@code .yaml}, {@code .yml} or {@code .json}): that one is refused as
 * ambiguous, as is a URL that pins a commit, names a folder where a file is needed, or climbs out of the repository.
 */
public final class GitUrl {

    /** What the URL names inside the repository. */
    public enum Kind {
        /** A file: the path is the descriptor. */
        FILE,
        /** A folder: its {@code catalog-info.yaml} is the descriptor. */
        DIRECTORY
    }

    /** The descriptor a repository or folder URL stands for. */
    public static final String CATALOG_FILE = "catalog-info.yaml";

    /** Hosts whose two-segment paths are repositories, so their bare URLs need no {@code .git}. */
    public static final Set<String> KNOWN_GIT_HOSTS = Set.of("github.com", "gitlab.com", "bitbucket.org",
            "codeberg.org", "gitea.com");

    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{40}([0-9a-fA-F]{24})?");
    private static final Pattern BITBUCKET_SERVER = Pattern.compile(
            "^(.*?)/(projects|users)/([^/]+)/repos/([^/]+)/browse(/.*)?$");
    private static final Set<String> DESCRIPTOR_EXTENSIONS = Set.of(".yaml", ".yml", ".json");

    private final String target;
    private final String repository;
    /** The full ref name when the URL names it alone (?at=, version=GB...), or null. */
    private final String ref;
    /** Restrict a run of segments to branches ({@code refs/heads/}) or tags, or null for both. */
    private final String refNamespace;
    /** Ref and path as one run of segments, split by {@link #resolve}; null when the ref is known or the default. */
    private final String refAndPath;
    /** The path when the ref is known or the default branch is meant. */
    private final String path;
    private final Kind kind;

    private GitUrl(String target, String repository, String ref, String refNamespace, String refAndPath, String path,
                   Kind kind) {
        this.target = target;
        this.repository = repository;
        this.ref = ref;
        this.refNamespace = refNamespace;
        this.refAndPath = refAndPath;
        this.path = path;
        this.kind = kind;
    }

    /**
     * Reads a {@code url} location target.
     *
     * @return the place in a git repository, or empty when the URL is a plain HTTP(S) file
     * @throws InvalidInputException naming the rule when the URL is malformed, ambiguous, pins a commit or leaves
     *     its repository
     */
    public static Optional<GitUrl> parse(String target) {
        URI uri;
        try {
            uri = new URI(target);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidInputException("'" + target + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null) {
            throw new InvalidInputException("'" + target + "' is not an absolute URL (use file:///path for a"
                    + " repository on disk)");
        }
        if (scheme.equals("file") && uri.getRawAuthority() != null) {
            // JGit has no transport for file://host/path: a repository on disk is file:///path.
            throw new InvalidInputException("'" + target + "' names a host in a file: URL; a repository on this"
                    + " server's disk is file:///path");
        }
        String rawPath = uri.getRawPath();
        if (rawPath == null) {
            throw new InvalidInputException("'" + target + "' is not a URL with a path");
        }
        // Portal's own form and GitLab's, on any scheme: <repository>/-/blob|tree|raw/<ref>/<path>
        for (String marker : List.of("/-/blob/", "/-/raw/", "/-/tree/")) {
            int at = target.indexOf(marker);
            if (at > 0) {
                String rest = stripQuery(target.substring(at + marker.length()));
                return Optional.of(segments(target, target.substring(0, at), rest,
                        marker.equals("/-/tree/") ? Kind.DIRECTORY : Kind.FILE, null));
            }
        }
        boolean http = scheme.equals("http") || scheme.equals("https");
        if (!http) {
            // ssh://, git://, file:: what else could it be but a repository
            return Optional.of(repositoryRoot(target, stripQuery(target)));
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String origin = scheme + "://" + uri.getRawAuthority();
        List<String> parts = pathSegments(rawPath);
        Map<String, String> query = query(uri.getRawQuery());

        if (host.equals("raw.githubusercontent.com")) {
            if (parts.size() < 4) {
                throw new InvalidInputException("'" + target + "' must name an owner, a repository, a ref and a file:"
                        + " https://raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>");
            }
            return Optional.of(segments(target, "https://github.com/" + parts.get(0) + "/" + parts.get(1),
                    String.join("/", parts.subList(2, parts.size())), Kind.FILE, null));
        }
        int git = parts.indexOf("_git");
        if (git >= 0) {
            return Optional.of(azure(target, origin, parts, git, query));
        }
        Matcher bitbucket = BITBUCKET_SERVER.matcher(rawPath);
        if (bitbucket.matches()) {
            return Optional.of(bitbucketServer(target, origin, bitbucket, query));
        }
        int gitiles = parts.indexOf("+");
        if (gitiles > 0) {
            List<String> project = parts.subList(0, gitiles);
            if (project.size() > 2 && project.get(0).equals("plugins") && project.get(1).equals("gitiles")) {
                project = project.subList(2, project.size());
            }
            String rest = String.join("/", parts.subList(gitiles + 1, parts.size()));
            if (rest.isEmpty()) {
                throw new InvalidInputException("'" + target + "' names no ref: <project>/+/refs/heads/<branch>/<path>");
            }
            return Optional.of(segments(target, origin + "/" + String.join("/", project), rest,
                    rawPath.endsWith("/") ? Kind.DIRECTORY : Kind.FILE, null));
        }
        if (parts.size() >= 3 && Set.of("blob", "tree", "raw", "src").contains(parts.get(2))) {
            return Optional.of(ownerRepoShape(target, origin, host, parts));
        }
        String last = parts.isEmpty() ? "" : parts.getLast();
        if (last.endsWith(".git")) {
            return Optional.of(repositoryRoot(target, origin + rawPath.replaceAll("/+$", "")));
        }
        if (KNOWN_GIT_HOSTS.contains(host) && !hasDescriptorExtension(last)) {
            boolean nestedGroups = host.equals("gitlab.com");
            if (parts.size() == 2 || (nestedGroups && parts.size() > 2)) {
                return Optional.of(repositoryRoot(target, origin + "/" + String.join("/", parts)));
            }
            throw new InvalidInputException("'" + target + "' names neither a repository (" + host
                    + "/<owner>/<repo>) nor a file in one (/blob/<ref>/<path>)");
        }
        if (!hasDescriptorExtension(last)) {
            throw new InvalidInputException("'" + target + "' is ambiguous: it names neither a descriptor file"
                    + " (ending in .yaml, .yml or .json, read over plain HTTP) nor a place in a git repository"
                    + " (a repository URL ending in .git, or a blob or tree URL of GitHub, GitLab, Bitbucket,"
                    + " Gitea, Azure DevOps or Gerrit)");
        }
        return Optional.empty();
    }

    /** {@link #parse}, for a target that must be in git. */
    public static GitUrl parseGit(String target) {
        return parse(target).orElseThrow(() -> new InvalidInputException("'" + target + "' is a plain HTTP file,"
                + " not a place in a git repository"));
    }

    /** The URL JGit clones from. */
    public String repository() {
        return repository;
    }

    /** The host JGit will contact, lower-case, or {@code null} for {@code file:} repositories. */
    public String host() {
        String host = URI.create(repository).getHost();
        return host == null ? null : host.toLowerCase(Locale.ROOT);
    }

    /** The URL's scheme, lower-case. */
    public String scheme() {
        return URI.create(repository).getScheme().toLowerCase(Locale.ROOT);
    }

    /** Whether the ref comes only from the remote's refs (a run of segments, or the default branch). */
    public boolean needsRemoteRefs() {
        return ref == null;
    }

    /**
     * Splits the URL into ref and path against what the remote has now: a ref written alone is taken as
     * it is (a branch, else a tag); a run of segments starts with the longest branch or tag name of the
     * remote it fits (a branch wins over a tag of the same name); no ref means the default branch (what
     * {@code HEAD} points at).
     *
     * @param remoteRefs the remote's refs, as {@code ls-remote} lists them ({@code HEAD} included)
     * @throws InvalidInputException when no ref of the remote fits, or the URL pins a commit
     */
    public Resolved resolve(Collection<Ref> remoteRefs) {
        Map<String, Ref> byName = new LinkedHashMap<>();
        remoteRefs.forEach(r -> byName.put(r.getName(), r));
        if (ref != null) {
            for (String name : ref.startsWith(Constants.R_REFS) ? List.of(ref)
                    : List.of(Constants.R_HEADS + ref, Constants.R_TAGS + ref)) {
                if (byName.containsKey(name)) {
                    return new Resolved(target(shortName(name), path), byName.get(name));
                }
            }
            throw new InvalidInputException("'" + target + "': the repository has no branch or tag '"
                    + shortName(ref) + "'");
        }
        if (refAndPath == null) {
            String branch = defaultBranch(byName);
            return new Resolved(target(branch, path), byName.get(Constants.R_HEADS + branch));
        }
        String best = null;
        int bestLength = -1;
        for (String name : byName.keySet()) {
            boolean head = name.startsWith(Constants.R_HEADS);
            if (!head && !name.startsWith(Constants.R_TAGS) || refNamespace != null && !name.startsWith(refNamespace)) {
                continue;
            }
            for (String written : List.of(name, shortName(name))) {
                boolean fits = refAndPath.equals(written) || refAndPath.startsWith(written + "/");
                // the longest fit wins; of a branch and a tag written alike, the branch
                if (fits && (written.length() > bestLength || written.length() == bestLength && head)) {
                    best = name;
                    bestLength = written.length();
                }
            }
        }
        if (best == null) {
            String first = refAndPath.contains("/") ? refAndPath.substring(0, refAndPath.indexOf('/')) : refAndPath;
            if (COMMIT_ID.matcher(first).matches()) {
                throw new InvalidInputException("'" + target + "' pins the commit " + first + "; a location follows"
                        + " a branch or tag, so name one instead");
            }
            throw new InvalidInputException("'" + target + "': the repository has no branch or tag '" + first
                    + "' (nor one that '" + refAndPath + "' starts with)");
        }
        String rest = refAndPath.length() == bestLength ? "" : refAndPath.substring(bestLength + 1);
        return new Resolved(target(shortName(best), rest), byName.get(best));
    }

    /**
     * A URL resolved against its remote.
     *
     * @param target the repository, the branch or tag (short name) and the file
     * @param ref the remote's ref that was chosen, as {@code ls-remote} listed it
     */
    public record Resolved(GitTarget target, Ref ref) {
    }

    private GitTarget target(String branch, String rawPath) {
        String file = kind == Kind.DIRECTORY ? (rawPath.isEmpty() ? CATALOG_FILE : rawPath + "/" + CATALOG_FILE) : rawPath;
        if (file.isEmpty()) {
            throw new InvalidInputException("'" + target + "' names a ref but no file in it");
        }
        return new GitTarget(repository, branch, normalize(file, target));
    }

    private String defaultBranch(Map<String, Ref> byName) {
        Ref head = byName.get(Constants.HEAD);
        if (head != null && head.isSymbolic()) {
            return shortName(head.getTarget().getName());
        }
        if (head != null && head.getObjectId() != null) {
            // no symref advertised: the branch HEAD's commit is on, main and master first
            List<String> preferred = List.of(Constants.R_HEADS + "main", Constants.R_HEADS + "master");
            for (String name : preferred) {
                Ref candidate = byName.get(name);
                if (candidate != null && head.getObjectId().equals(candidate.getObjectId())) {
                    return shortName(name);
                }
            }
            for (Ref candidate : byName.values()) {
                if (candidate.getName().startsWith(Constants.R_HEADS) && head.getObjectId().equals(candidate.getObjectId())) {
                    return shortName(candidate.getName());
                }
            }
        }
        throw new InvalidInputException("'" + target + "' names no branch and the repository has no default branch"
                + " (HEAD); name one");
    }

    private static String shortName(String name) {
        return name.startsWith(Constants.R_HEADS) ? name.substring(Constants.R_HEADS.length())
                : name.startsWith(Constants.R_TAGS) ? name.substring(Constants.R_TAGS.length()) : name;
    }

    // ---- the shapes

    private static GitUrl segments(String target, String repository, String refAndPath, Kind kind, String namespace) {
        String run = refAndPath.replaceAll("^/+", "");
        if (run.isEmpty()) {
            throw new InvalidInputException("'" + target + "' names no ref: write <repository>/-/blob/<branch>/<path>");
        }
        checkRepository(target, repository);
        if (kind == Kind.FILE && !run.contains("/")) {
            throw new InvalidInputException("'" + target + "' must name a repository, a branch and a file:"
                    + " <repository URL>/-/blob/<branch>/<path>");
        }
        // climbing out of the repository is refused whatever the ref turns out to be
        normalizeRun(decode(run), target);
        return new GitUrl(target, repository, null, namespace, decode(run).replaceAll("/+$", ""), null, kind);
    }

    private static GitUrl repositoryRoot(String target, String repository) {
        checkRepository(target, repository);
        return new GitUrl(target, repository, null, null, null, "", Kind.DIRECTORY);
    }

    private static GitUrl ownerRepoShape(String target, String origin, String host, List<String> parts) {
        String repository = origin + "/" + parts.get(0) + "/" + parts.get(1);
        String marker = parts.get(2);
        List<String> rest = parts.subList(3, parts.size());
        if (marker.equals("src")) {
            boolean gitea = !host.equals("bitbucket.org") && !rest.isEmpty()
                    && Set.of("branch", "tag", "commit").contains(rest.getFirst());
            if (gitea) {
                String type = rest.getFirst();
                if (type.equals("commit")) {
                    throw new InvalidInputException("'" + target + "' pins a commit; a location follows a branch or"
                            + " tag (/src/branch/<branch>/<path>)");
                }
                return segments(target, repository, String.join("/", rest.subList(1, rest.size())),
                        target.endsWith("/") ? Kind.DIRECTORY : Kind.FILE,
                        type.equals("branch") ? Constants.R_HEADS : Constants.R_TAGS);
            }
            return segments(target, repository, String.join("/", rest), target.endsWith("/") ? Kind.DIRECTORY : Kind.FILE,
                    null);
        }
        return segments(target, repository, String.join("/", rest), marker.equals("tree") ? Kind.DIRECTORY : Kind.FILE,
                null);
    }

    private static GitUrl azure(String target, String origin, List<String> parts, int git, Map<String, String> query) {
        if (git + 1 >= parts.size() || git + 2 != parts.size()) {
            throw new InvalidInputException("'" + target + "' must name the repository right after _git:"
                    + " /_git/<repo>?path=<path>&version=GB<branch>");
        }
        String repository = origin + "/" + String.join("/", parts.subList(0, git + 2));
        String path = query.getOrDefault("path", "").replaceAll("^/+", "");
        String version = query.get("version");
        String ref = null;
        if (version != null) {
            if (version.startsWith("GB") && version.length() > 2) {
                ref = Constants.R_HEADS + version.substring(2);
            } else if (version.startsWith("GT") && version.length() > 2) {
                ref = Constants.R_TAGS + version.substring(2);
            } else if (version.startsWith("GC")) {
                throw new InvalidInputException("'" + target + "' pins a commit (version=GC...); a location follows"
                        + " a branch (version=GB<branch>) or tag (GT<tag>)");
            } else {
                throw new InvalidInputException("'" + target + "': version must be GB<branch> or GT<tag>");
            }
        }
        return known(target, repository, ref, path);
    }

    private static GitUrl bitbucketServer(String target, String origin, Matcher match, Map<String, String> query) {
        String owner = match.group(2).equals("users") ? "~" + match.group(3) : match.group(3);
        String repository = origin + match.group(1) + "/scm/" + owner.toLowerCase(Locale.ROOT) + "/" + match.group(4)
                + ".git";
        String path = match.group(5) == null ? "" : decode(match.group(5)).replaceAll("^/+", "");
        return known(target, repository, query.get("at"), path);
    }

    private static GitUrl known(String target, String repository, String ref, String path) {
        checkRepository(target, repository);
        Kind kind = path.isEmpty() || path.endsWith("/") ? Kind.DIRECTORY : Kind.FILE;
        String clean = path.replaceAll("/+$", "");
        if (!clean.isEmpty()) {
            clean = normalize(clean, target);
        }
        return new GitUrl(target, repository, ref == null || ref.isBlank() ? null : ref, null, null, clean, kind);
    }

    private static void checkRepository(String target, String repository) {
        if (repository.isEmpty() || repository.endsWith(":") || repository.endsWith("//")) {
            throw new InvalidInputException("'" + target + "' names no repository");
        }
    }

    private static boolean hasDescriptorExtension(String segment) {
        String lower = segment.toLowerCase(Locale.ROOT);
        return DESCRIPTOR_EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    private static List<String> pathSegments(String rawPath) {
        return java.util.Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private static String stripQuery(String text) {
        int q = text.indexOf('?');
        int h = text.indexOf('#');
        int end = q < 0 ? h : h < 0 ? q : Math.min(q, h);
        return end < 0 ? text : text.substring(0, end);
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + text + "' is not correctly %-encoded");
        }
    }

    /** {@code path} without {@code .} and {@code ..} segments; refused when it climbs above its start. */
    static String normalize(String path, String shownAs) {
        String normal = normalizeRun(path, shownAs);
        if (normal.isEmpty()) {
            throw new InvalidInputException("'" + shownAs + "' names no file");
        }
        return normal;
    }

    private static String normalizeRun(String path, String shownAs) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new InvalidInputException("'" + shownAs + "' leaves the repository");
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    @Override
    public String toString() {
        return target;
    }
}
