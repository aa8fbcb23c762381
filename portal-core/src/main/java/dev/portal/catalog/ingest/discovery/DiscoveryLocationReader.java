package dev.portal.catalog.ingest.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.ingest.GitUrl;
import dev.portal.catalog.ingest.HostCredentials;
import dev.portal.catalog.ingest.LocationReadException;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.ingest.ShallowFetch;
import dev.portal.catalog.ingest.SourceContent;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Repository discovery as a location ({@code discovery:<id>}): lists the repositories the settings of
 * that id name (a list, a URL pattern with names, or an organization listed through its host's REST
 * API), reads each one's default branch with JGit, and emits one Location entity per repository that
 * has files matching the catalog path, naming those files. The catalog then reads each as a nested
 * location; a repository that disappears, or whose files no longer match, is no longer named, and
 * the entities read from it become orphans.
 *
 * <p>The version is the list of repositories and their commits: when no repository moved, nothing is
 * fetched. A repository that cannot be read fails the whole read, so that a host having a bad
 * minute never orphans what the other repositories hold. Repositories an organization's host lists
 * on another host are left out: the host's answer does not choose where the server connects to.
 * Only the application's configuration may name such a location.
 */
public final class DiscoveryLocationReader implements LocationReader {

    /** The location type. */
    public static final String TYPE = "discovery";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DiscoveryLocationReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, DiscoverySettings> discoveries;
    private final Duration timeout;
    private final HostCredentials credentials;
    private final HostOrganizations organizations;
    private final int maxBytes;

    public DiscoveryLocationReader(List<DiscoverySettings> discoveries, Duration timeout, HostCredentials credentials,
                                   int maxBytes) {
        this.discoveries = discoveries.stream().collect(Collectors.toMap(DiscoverySettings::id, Function.identity(),
                (a, b) -> {
                    throw new IllegalArgumentException("two discoveries with the id " + a.id());
                }, LinkedHashMap::new));
        this.timeout = timeout;
        this.credentials = credentials;
        this.organizations = new HostOrganizations(timeout, credentials, maxBytes);
        this.maxBytes = maxBytes;
    }

    /** The location that runs a discovery. */
    public static LocationSpec location(String id) {
        return new LocationSpec(TYPE, id);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean configurationOnly() {
        return true;
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        DiscoverySettings settings = discoveries.get(location.target());
        if (settings == null) {
            throw new LocationReadException(location, "no discovery '" + location.target()
                    + "' is configured (portal.catalog.providers.discovery)");
        }
        // repository -> its default branch's ref, or null for an empty repository
        Map<String, Ref> heads = new TreeMap<>();
        for (String repository : repositories(location, settings)) {
            heads.put(repository, defaultBranch(location, repository));
        }
        String version = version(settings, heads);
        if (version.equals(knownVersion)) {
            return SourceContent.unchanged(version);
        }
        CatalogPathGlob glob = new CatalogPathGlob(settings.catalogPath());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, Ref> head : heads.entrySet()) {
            if (head.getValue() == null) {
                continue;
            }
            List<String> files = matchingFiles(location, head.getKey(), head.getValue(), glob);
            if (files.isEmpty()) {
                continue;
            }
            String branch = org.eclipse.jgit.lib.Repository.shortenRefName(head.getValue().getName());
            ObjectNode entity = JsonNodeFactory.instance.objectNode();
            entity.put("apiVersion", "backstage.io/v1alpha1");
            entity.put("kind", "Location");
            ObjectNode metadata = entity.putObject("metadata");
            metadata.put("name", uniqueName(head.getKey(), names));
            metadata.putObject("annotations").put("portal.dev/discovered-by", location.ref())
                    .put("backstage.io/source-location", "url:" + head.getKey());
            ObjectNode spec = entity.putObject("spec");
            spec.put("type", LocationSpec.URL);
            var targets = spec.putArray("targets");
            files.forEach(file -> targets.add(new GitTarget(head.getKey(), branch, file).format()));
            try {
                out.writeBytes("---\n".getBytes(StandardCharsets.UTF_8));
                out.writeBytes(JSON.writeValueAsBytes(entity));
                out.write('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of strings always serialises", e);
            }
            if (out.size() > maxBytes) {
                throw new LocationReadException(location, "the discovered locations come to more than " + maxBytes
                        + " bytes, the limit for one descriptor (portal.catalog.parser.max-size)");
            }
        }
        return new SourceContent(version, out.toByteArray());
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        throw new LocationReadException(base, "a discovery names no locations relative to itself");
    }

    private List<String> repositories(LocationSpec location, DiscoverySettings settings) {
        Set<String> repositories = new LinkedHashSet<>(settings.repositories());
        if (settings.urlPattern() != null) {
            settings.names().forEach(name -> repositories.add(settings.urlPattern().replace("{name}", name)));
        }
        DiscoverySettings.Organization organization = settings.organization();
        if (organization != null) {
            String host = URI.create(organization.url()).getHost();
            try {
                for (HostOrganizations.Listed listed : organizations.list(organization)) {
                    if (listed.archived() && organization.skipArchived()) {
                        continue;
                    }
                    String listedHost = hostOf(listed.cloneUrl());
                    if (listedHost == null || !listedHost.equalsIgnoreCase(host)) {
                        log.warn("Discovery {}: {} lists the repository {} on another host; it is left out",
                                settings.id(), organization.name(), listed.cloneUrl());
                        continue;
                    }
                    repositories.add(listed.cloneUrl());
                }
            } catch (IOException | RuntimeException e) {
                throw new LocationReadException(location, "listing the repositories of " + organization.name()
                        + " on " + organization.api() + " failed: " + e.getMessage(), e);
            }
        }
        for (String repository : repositories) {
            try {
                if (GitUrl.parse(repository).isEmpty()) {
                    throw new InvalidInputException("'" + repository + "' is not a git repository URL");
                }
            } catch (InvalidInputException e) {
                throw new LocationReadException(location, e.getMessage());
            }
            if (new LocationSpec(LocationSpec.URL, repository).hasPassword()) {
                throw new LocationReadException(location, "a repository URL carries a password; credentials belong in"
                        + " portal.catalog.reading.credentials");
            }
        }
        return new ArrayList<>(repositories);
    }

    private static String hostOf(String url) {
        try {
            return URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Ref defaultBranch(LocationSpec location, String repository) {
        Collection<Ref> refs;
        try {
            refs = ShallowFetch.remoteRefs(repository, timeout, credentials.forRepository(repository));
        } catch (GitAPIException | JGitInternalException e) {
            Throwable reason = e instanceof JGitInternalException && e.getCause() != null ? e.getCause() : e;
            throw new LocationReadException(location, "cannot reach " + repository + ": " + reason.getMessage(), e);
        }
        if (refs.stream().noneMatch(ref -> ref.getName().startsWith(Constants.R_HEADS))) {
            return null;   // an empty repository has nothing to discover yet
        }
        try {
            return GitUrl.parseGit(repository).resolve(refs).ref();
        } catch (InvalidInputException e) {
            throw new LocationReadException(location, repository + ": " + e.getMessage());
        }
    }

    private List<String> matchingFiles(LocationSpec location, String repository, Ref head, CatalogPathGlob glob) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("portal-discovery-");
            try (Git git = ShallowFetch.of(scratch, repository, head, timeout, credentials.forRepository(repository));
                 RevWalk walk = new RevWalk(git.getRepository());
                 TreeWalk tree = new TreeWalk(git.getRepository())) {
                ObjectId commit = head.getPeeledObjectId() != null ? head.getPeeledObjectId() : head.getObjectId();
                tree.addTree(walk.parseCommit(commit).getTree());
                tree.setRecursive(true);
                List<String> files = new ArrayList<>();
                while (tree.next()) {
                    FileMode mode = tree.getFileMode(0);
                    if ((mode.equals(FileMode.REGULAR_FILE) || mode.equals(FileMode.EXECUTABLE_FILE))
                            && glob.matches(tree.getPathString())) {
                        files.add(tree.getPathString());
                    }
                }
                return files;
            }
        } catch (GitAPIException | JGitInternalException e) {
            throw new LocationReadException(location, "git fetch of " + repository + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LocationReadException(location, repository + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static String version(DiscoverySettings settings, Map<String, Ref> heads) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(settings.catalogPath().getBytes(StandardCharsets.UTF_8));
            heads.forEach((repository, ref) -> {
                digest.update(("\n" + repository + " " + (ref == null ? "-" : ref.getName() + " "
                        + ref.getObjectId().name())).getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** An entity name for a repository: its last two path segments, made valid, unique within the read. */
    static String uniqueName(String repository, Set<String> taken) {
        String path = URI.create(repository.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "https://"))
                .getPath();
        List<String> parts = java.util.Arrays.stream(path == null ? new String[0] : path.split("/"))
                .filter(part -> !part.isEmpty()).toList();
        String tail = String.join("-", parts.subList(Math.max(0, parts.size() - 2), parts.size()))
                .replaceAll("\\.git$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-")
                .replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        String name = "repo-" + (tail.isEmpty() ? "unnamed" : tail);
        if (name.length() > 50 || taken.contains(name)) {
            name = name.substring(0, Math.min(name.length(), 50)).replaceAll("[^a-z0-9]+$", "") + "-"
                    + sha1(repository).substring(0, 8);
        }
        taken.add(name);
        return name;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    private static void deleteQuietly(Path root) {
        if (root == null) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // left to the OS temp cleaner
        }
    }
}
