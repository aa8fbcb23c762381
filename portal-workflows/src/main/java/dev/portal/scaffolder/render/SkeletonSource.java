package dev.portal.scaffolder.render;

import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.ClasspathLocationReader;
import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.ingest.LocationReadException;
import dev.portal.catalog.ingest.ShallowFetch;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds a template's skeleton and makes it available as a local folder.
 *
 * <p>The skeleton is the template's {@code spec.skeleton}, or a step's {@code url} instead, resolved
 * against where the template was read from ({@link TemplateDefinition#sourceLocation()}):
 * <ul>
 *   <li>a relative path next to a template read from a {@code file} location: resolved against the
 *       template file's folder, and it must stay inside that folder (links included);</li>
 *   <li>a relative path next to a template read from a {@code url} (git) location: the folder of
 *       that name in the same repository and branch ({@link GitTarget#sibling});</li>
 *   <li>an absolute path ({@code /srv/skeletons/x}, {@code file:/srv/...}): only when the
 *       {@link LocationPolicy} allows that file location, and never for a template read from git;</li>
 *   <li>a relative path next to a template read from a {@code classpath} location: the folder on the
 *       class path (in a directory or a jar), which must stay inside the template's folder;</li>
 *   <li>an absolute git folder ({@code url:<repository>/-/blob/<branch>/<folder>}, or the URL alone):
 *       only when the {@link LocationPolicy} allows its host.</li>
 * </ul>
 * A git skeleton is fetched shallowly (the one branch, one commit) and only its folder is extracted;
 * links and submodules in it are refused, and its size is held to the {@link RenderLimits}.
 */
public final class SkeletonSource {

    private static final String URL_PREFIX = "url:";
    private static final String FILE_PREFIX = "file:";

    private final LocationPolicy policy;
    private final RenderLimits limits;
    private final Duration timeout;
    private final Function<GitTarget, CredentialsProvider> credentials;
    private final ClassLoader classLoader;

    /**
     * @param policy      which absolute skeleton locations may be read (relative ones next to the template always may)
     * @param limits      how large a skeleton may be
     * @param timeout     how long one git operation may take
     * @param credentials credentials per repository, or a function answering {@code null} for anonymous access
     */
    public SkeletonSource(LocationPolicy policy, RenderLimits limits, Duration timeout,
                          Function<GitTarget, CredentialsProvider> credentials) {
        this(policy, limits, timeout, credentials, SkeletonSource.class.getClassLoader());
    }

    /**
     * @param classLoader where skeletons next to templates read from {@code classpath} locations are found
     * @see #SkeletonSource(LocationPolicy, RenderLimits, Duration, Function)
     */
    public SkeletonSource(LocationPolicy policy, RenderLimits limits, Duration timeout,
                          Function<GitTarget, CredentialsProvider> credentials, ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** Anonymous git access with a 60 s timeout. */
    public SkeletonSource(LocationPolicy policy, RenderLimits limits) {
        this(policy, limits, Duration.ofSeconds(60), target -> null);
    }

    /**
     * Where the skeleton of {@code template} is.
     *
     * @param override a step's {@code url}, used instead of {@code spec.skeleton} when present
     * @throws ActionInputException when there is no skeleton, or it may not or cannot be read
     */
    public SkeletonLocation locate(TemplateDefinition template, Optional<String> override) {
        String ref = template.ref().toString();
        String skeleton = override.filter(url -> !url.isBlank()).or(template::skeleton)
                .orElseThrow(() -> new ActionInputException("template " + ref + " has no spec.skeleton and the step gives no url"))
                .trim();
        Optional<LocationSpec> source = template.sourceLocation();
        boolean fromGit = source.filter(location -> LocationSpec.URL.equals(location.type())).isPresent();

        if (isGit(skeleton)) {
            GitTarget target = gitTarget(ref, skeleton.startsWith(URL_PREFIX) ? skeleton.substring(URL_PREFIX.length()) : skeleton);
            policy.refusal(new LocationSpec(LocationSpec.URL, target.format())).ifPresent(reason -> {
                throw new ActionInputException("template " + ref + ": the skeleton '" + skeleton + "' may not be read: " + reason);
            });
            return new SkeletonLocation.GitFolder(target);
        }
        String path = stripFileScheme(skeleton);
        if (isAbsolute(path)) {
            if (fromGit) {
                throw new ActionInputException("template " + ref + " was read from git, so its skeleton may not point at"
                        + " files on this server: '" + skeleton + "'");
            }
            Path folder = Path.of(path).normalize();
            policy.refusal(new LocationSpec(LocationSpec.FILE, folder.toString())).ifPresent(reason -> {
                throw new ActionInputException("template " + ref + ": the skeleton '" + skeleton + "' may not be read: " + reason);
            });
            return new SkeletonLocation.Folder(folder);
        }
        LocationSpec base = source.orElseThrow(() -> new ActionInputException("template " + ref
                + " has no source location (backstage.io/managed-by-location) to resolve its skeleton '" + skeleton + "' against"));
        if (fromGit) {
            try {
                return new SkeletonLocation.GitFolder(GitTarget.parse(base.target()).sibling(skeleton));
            } catch (InvalidInputException e) {
                throw new ActionInputException("template " + ref + ": the skeleton '" + skeleton + "' cannot be resolved against "
                        + base.target() + ": " + e.getMessage(), e);
            }
        }
        if (ClasspathLocationReader.TYPE.equals(base.type())) {
            return new SkeletonLocation.ClasspathFolder(nextToClasspathTemplate(ref, base, path, skeleton),
                    ClasspathLocationReader.path(base));
        }
        if (!LocationSpec.FILE.equals(base.type())) {
            throw new ActionInputException("template " + ref + " was read from a " + base.type()
                    + " location, against which its skeleton '" + skeleton + "' cannot be resolved");
        }
        return new SkeletonLocation.Folder(nextToTemplate(ref, base, path, skeleton));
    }

    /**
     * Makes the skeleton available as a local folder; close the result when done with it.
     *
     * @throws ActionInputException for a skeleton that is missing, not a folder, or breaks the limits
     * @throws IOException          for a repository that cannot be reached or a failing file system (worth retrying)
     */
    public Skeleton open(SkeletonLocation location) throws IOException {
        return switch (location) {
            case SkeletonLocation.Folder folder -> {
                if (!Files.isDirectory(folder.path())) {
                    throw new ActionInputException("the skeleton folder " + folder.path() + " does not exist or is not a folder");
                }
                yield new Skeleton(folder.path(), location, null);
            }
            case SkeletonLocation.GitFolder git -> fetch(git);
            case SkeletonLocation.ClasspathFolder classpath -> copy(classpath);
        };
    }

    private static String nextToClasspathTemplate(String ref, LocationSpec base, String path, String shownAs) {
        String templatePath = ClasspathLocationReader.path(base);
        String templateFolder = templatePath.contains("/") ? templatePath.substring(0, templatePath.lastIndexOf('/')) : "";
        String folder;
        try {
            folder = ClasspathLocationReader.path(new LocationSpec(ClasspathLocationReader.TYPE,
                    templateFolder.isEmpty() ? path : templateFolder + "/" + path));
        } catch (LocationReadException e) {
            throw new ActionInputException("template " + ref + ": the skeleton '" + shownAs + "' " + e.getMessage(), e);
        }
        if (!templateFolder.isEmpty() && !folder.startsWith(templateFolder + "/")) {
            throw new ActionInputException("template " + ref + ": the skeleton '" + shownAs + "' leaves the template's folder "
                    + templateFolder + "; skeletons next to a template must be inside its folder");
        }
        return folder;
    }

    /** Copies a class path folder (in a directory or a jar) into a scratch folder, within the limits. */
    private Skeleton copy(SkeletonLocation.ClasspathFolder location) throws IOException {
        URL url = classLoader.getResource(location.path() + "/");
        if (url == null && location.template() != null) {
            // a jar built without folder entries: its template file still says which jar it is
            URL template = classLoader.getResource(location.template());
            url = template != null && "jar".equals(template.getProtocol()) ? template : null;
        }
        if (url == null) {
            throw new ActionInputException("the skeleton folder " + location.describe() + " is not on the class path");
        }
        Path scratch = Files.createTempDirectory("portal-skeleton-");
        try {
            Path root = Files.createDirectory(scratch.resolve("skeleton"));
            CopyBudget budget = new CopyBudget(location);
            if ("file".equals(url.getProtocol())) {
                Path folder = Path.of(URI.create(url.toString()));
                if (!Files.isDirectory(folder)) {
                    throw new ActionInputException("the skeleton " + location.describe() + " is a file; a skeleton is a folder");
                }
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        try (InputStream in = Files.newInputStream(file)) {
                            budget.write(root, folder.relativize(file).toString().replace('\\', '/'), in, Files.size(file));
                        }
                    }
                }
            } else if (url.openConnection() instanceof JarURLConnection connection) {
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = location.path() + "/";
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                budget.write(root, entry.getName().substring(prefix.length()), in, entry.getSize());
                            }
                        }
                    }
                }
            } else {
                throw new IOException("cannot list the class path folder " + url + " (protocol " + url.getProtocol() + ")");
            }
            if (budget.files == 0) {
                throw new ActionInputException("the skeleton folder " + location.describe() + " has no files");
            }
            return new Skeleton(root, location, scratch);
        } catch (IOException | RuntimeException e) {
            SkeletonRenderer.deleteRecursively(scratch);
            throw e;
        }
    }

    /** Counts files and bytes of a skeleton being copied against the {@link RenderLimits}. */
    private final class CopyBudget {
        private final SkeletonLocation location;
        private int files;
        private long bytes;

        CopyBudget(SkeletonLocation location) {
            this.location = location;
        }

        void write(Path root, String path, InputStream in, long size) throws IOException {
            if (++files > limits.maxFiles()) {
                throw new ActionInputException("the skeleton " + location.describe() + " has more than " + limits.maxFiles()
                        + " files (RenderLimits.maxFiles)");
            }
            bytes += Math.max(size, 0);
            if (bytes > limits.maxTotalBytes()) {
                throw new ActionInputException("the skeleton " + location.describe() + " holds more than "
                        + limits.maxTotalBytes() + " bytes (RenderLimits.maxTotalBytes)");
            }
            Path file = root.resolve(path).normalize();
            if (!file.startsWith(root) || file.equals(root)) {
                throw new ActionInputException("the skeleton " + location.describe() + " contains the path '" + path
                        + "', which leaves the skeleton folder");
            }
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
        }
    }

    private Path nextToTemplate(String ref, LocationSpec base, String path, String shownAs) {
        Path templateFolder;
        Path folder;
        try {
            Path templateFile = Path.of(stripFileScheme(base.target())).normalize();
            templateFolder = templateFile.getParent();
            if (templateFolder == null || !templateFile.isAbsolute()) {
                throw new ActionInputException("template " + ref + " was read from '" + base.target()
                        + "', which is not an absolute file path to resolve its skeleton against");
            }
            folder = templateFolder.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new ActionInputException("template " + ref + ": the skeleton '" + shownAs + "' is not a valid path: " + e.getReason(), e);
        }
        if (!folder.startsWith(templateFolder) || folder.equals(templateFolder)) {
            throw new ActionInputException("template " + ref + ": the skeleton '" + shownAs + "' leaves the template's folder "
                    + templateFolder + "; skeletons next to a template must be inside its folder");
        }
        // A link inside the template's folder could still lead anywhere: compare where things really are.
        if (Files.exists(folder)) {
            try {
                Path real = folder.toRealPath();
                Path realBase = templateFolder.toRealPath();
                if (!real.startsWith(realBase) || real.equals(realBase)) {
                    throw new ActionInputException("template " + ref + ": the skeleton '" + shownAs + "' is a link to " + real
                            + ", outside the template's folder " + templateFolder);
                }
            } catch (IOException e) {
                throw new ActionInputException("template " + ref + ": the skeleton '" + shownAs + "' cannot be read: " + e.getMessage(), e);
            }
        }
        return folder;
    }

    private Skeleton fetch(SkeletonLocation.GitFolder location) throws IOException {
        GitTarget target = location.target();
        Path scratch = Files.createTempDirectory("portal-skeleton-");
        try {
            Ref ref = remoteRef(target);
            Path clone = scratch.resolve("repository.git");
            Path root = Files.createDirectory(scratch.resolve("skeleton"));
            try (Git git = ShallowFetch.of(clone, target.repository(), ref, timeout, credentials.apply(target))) {
                extract(git.getRepository(), ref, target, root);
            }
            return new Skeleton(root, location, scratch);
        } catch (GitAPIException e) {
            SkeletonRenderer.deleteRecursively(scratch);
            throw new IOException("cannot fetch the skeleton " + target.format() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            SkeletonRenderer.deleteRecursively(scratch);
            throw e;
        }
    }

    /** The branch (or else the tag) the target names, as the remote has it now. */
    private Ref remoteRef(GitTarget target) throws GitAPIException {
        return ShallowFetch.remoteRef(target.repository(), target.branch(), timeout, credentials.apply(target))
                .orElseThrow(() -> new ActionInputException("the skeleton " + target.format() + " names the branch or tag '"
                        + target.branch() + "', which the repository does not have"));
    }

    /** Writes the skeleton folder of the fetched commit into {@code root}, and nothing else of the repository. */
    private void extract(Repository repository, Ref ref, GitTarget target, Path root) throws IOException {
        ObjectId head = repository.resolve(ref.getName() + "^{commit}");
        if (head == null) {
            head = repository.resolve(Constants.HEAD + "^{commit}");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit commit = walk.parseCommit(head);
            ObjectId folder;
            try (TreeWalk find = TreeWalk.forPath(repository, target.path(), commit.getTree())) {
                if (find == null) {
                    throw new ActionInputException("the skeleton " + target.format() + " does not exist: no '" + target.path()
                            + "' on " + target.branch() + " at " + commit.name().substring(0, 12));
                }
                if (!FileMode.TREE.equals(find.getFileMode(0))) {
                    throw new ActionInputException("the skeleton " + target.format() + " is a file; a skeleton is a folder");
                }
                folder = find.getObjectId(0);
            }
            int files = 0;
            long bytes = 0;
            try (TreeWalk tree = new TreeWalk(repository)) {
                tree.addTree(folder);
                tree.setRecursive(true);
                while (tree.next()) {
                    String path = tree.getPathString();
                    FileMode mode = tree.getFileMode(0);
                    if (FileMode.SYMLINK.equals(mode)) {
                        throw new ActionInputException("the skeleton " + target.format() + " contains a symbolic link, '" + path
                                + "': skeletons may not contain links (they could point outside the skeleton)");
                    }
                    if (FileMode.GITLINK.equals(mode)) {
                        throw new ActionInputException("the skeleton " + target.format() + " contains a submodule, '" + path
                                + "', which is not fetched; copy its files into the skeleton instead");
                    }
                    if (++files > limits.maxFiles()) {
                        throw new ActionInputException("the skeleton " + target.format() + " has more than " + limits.maxFiles()
                                + " files (RenderLimits.maxFiles)");
                    }
                    ObjectLoader loader = repository.open(tree.getObjectId(0));
                    bytes += loader.getSize();
                    if (bytes > limits.maxTotalBytes()) {
                        throw new ActionInputException("the skeleton " + target.format() + " holds more than "
                                + limits.maxTotalBytes() + " bytes (RenderLimits.maxTotalBytes)");
                    }
                    Path file = root.resolve(path).normalize();
                    if (!file.startsWith(root) || file.equals(root)) {
                        throw new ActionInputException("the skeleton " + target.format() + " contains the path '" + path
                                + "', which leaves the skeleton folder");
                    }
                    Files.createDirectories(file.getParent());
                    try (InputStream in = loader.openStream();
                         OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        in.transferTo(out);
                    }
                    if (FileMode.EXECUTABLE_FILE.equals(mode)) {
                        file.toFile().setExecutable(true, false);
                    }
                }
            }
        }
    }

    private static GitTarget gitTarget(String ref, String target) {
        try {
            return GitTarget.parse(target);
        } catch (InvalidInputException e) {
            throw new ActionInputException("template " + ref + ": the skeleton '" + target + "' is not a git folder: " + e.getMessage(), e);
        }
    }

    private static boolean isGit(String skeleton) {
        return skeleton.startsWith(URL_PREFIX) || skeleton.contains("/-/blob/")
                || skeleton.contains("://") && !skeleton.startsWith("file:");
    }

    private static boolean isAbsolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String stripFileScheme(String target) {
        return target.startsWith("file://") ? target.substring("file://".length())
                : target.startsWith(FILE_PREFIX) ? target.substring(FILE_PREFIX.length()) : target;
    }
}
