package dev.portal.scaffolder.render;

import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.run.Workspaces;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Renders a skeleton folder into a workspace: every text file's contents and every file and folder
 * name go through {@link SandboxedVelocity} (so {@code src/main/java/${values.packagePath}/App.java}
 * works, and a value may add folders), binary files (not UTF-8, or containing NUL) and files matching
 * {@code copyWithoutTemplating} globs are copied byte for byte (their names are still rendered).
 *
 * <p>What a render may not do, each refused with an {@link ActionInputException} naming the skeleton
 * file: a rendered path that is absolute, empty, has an empty, {@code .} or {@code ..} segment, a
 * backslash or a control character; two entries rendering to the same path; a symbolic link or any
 * other non-regular file in the skeleton; crossing a {@link RenderLimits limit}.
 *
 * <p>A render writes into a fresh staging folder inside the workspace and moves the result into
 * place only when everything succeeded, replacing whatever the target held: a failed render leaves
 * the target as it was, and rendering again (a redelivered job) leaves the identical result.
 * Staging folders are named {@code .portal-staging-*} and are never part of a target.
 */
public final class SkeletonRenderer {

    /** Prefix of the staging folders a render works in; a render into the workspace root leaves them alone. */
    public static final String STAGING_PREFIX = ".portal-staging-";

    private static final int LOG_EVERY = 100;
    private static final int MAX_NAME_BYTES = 255;

    private final SandboxedVelocity velocity;
    private final RenderLimits limits;

    /** @param velocity the sandbox that renders contents and names; its limits bound the skeleton too */
    public SkeletonRenderer(SandboxedVelocity velocity) {
        this.velocity = velocity;
        this.limits = velocity.limits();
    }

    /**
     * Renders {@code skeleton} into {@code targetPath} of {@code workspace}.
     *
     * @param skeleton              the skeleton folder (read only)
     * @param workspace             the run's workspace; nothing is written outside it
     * @param targetPath            a folder relative to the workspace, or empty/{@code null}/{@code .} for the workspace itself
     * @param model                 what templates see
     * @param copyWithoutTemplating globs, relative to the skeleton, of files (or folders) copied without rendering their contents
     * @param log                   where progress goes
     * @throws ActionInputException for a skeleton, value or target that can never render
     * @throws IOException          for a failure of the file system
     */
    public RenderedSkeleton render(Path skeleton, Path workspace, String targetPath, TemplateModel model,
                                   List<String> copyWithoutTemplating, ActionLog log) throws IOException {
        Files.createDirectories(workspace);
        Path root = workspace.toRealPath();
        String relativeTarget = normalizeTarget(targetPath);
        Path target = relativeTarget.equals(".") ? root : root.resolve(relativeTarget);
        refuseLinksBetween(root, target, relativeTarget);
        List<PathMatcher> verbatim = matchers(copyWithoutTemplating);
        List<Entry> entries = scan(skeleton.toRealPath());

        // A staging folder left by a render that crashed would otherwise be published with the workspace;
        // one run's steps render one at a time, so any staging folder here is such a leftover.
        try (var leftovers = Files.list(root)) {
            for (Path leftover : leftovers.filter(p -> p.getFileName().toString().startsWith(STAGING_PREFIX)).toList()) {
                deleteRecursively(leftover);
            }
        }
        // Not createTempDirectory: its owner-only permissions would become the target's when it is moved into place.
        Path staging = Files.createDirectory(root.resolve(STAGING_PREFIX + UUID.randomUUID()));
        try {
            long bytes = write(entries, staging, model, verbatim, log);
            stamp(staging, model);
            replace(root, target, staging);
            int files = (int) entries.stream().filter(entry -> !entry.directory()).count();
            log.info("rendered " + files + " files (" + bytes + " bytes) into " + relativeTarget);
            return new RenderedSkeleton(target, relativeTarget, files, bytes);
        } finally {
            deleteRecursively(staging);
        }
    }

    private record Entry(Path source, String relative, boolean directory) {
    }

    /** The skeleton's entries in a fixed order, so renders are deterministic and collisions reported alike every time. */
    private List<Entry> scan(Path skeleton) throws IOException {
        if (!Files.isDirectory(skeleton)) {
            throw new ActionInputException("the skeleton " + skeleton + " is not a folder");
        }
        List<Entry> entries = new ArrayList<>();
        long[] totals = new long[2];
        Files.walkFileTree(skeleton, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(skeleton)) {
                    entries.add(new Entry(dir, relative(skeleton, dir), true));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String relative = relative(skeleton, file);
                if (attributes.isSymbolicLink()) {
                    throw new ActionInputException("the skeleton contains a symbolic link, '" + relative
                            + "': skeletons may not contain links (they could point outside the skeleton)");
                }
                if (!attributes.isRegularFile()) {
                    throw new ActionInputException("the skeleton contains '" + relative + "', which is not a regular file");
                }
                if (++totals[0] > limits.maxFiles()) {
                    throw new ActionInputException("the skeleton has more than " + limits.maxFiles()
                            + " files (RenderLimits.maxFiles)");
                }
                totals[1] += attributes.size();
                if (totals[1] > limits.maxTotalBytes()) {
                    throw new ActionInputException("the skeleton holds more than " + limits.maxTotalBytes()
                            + " bytes (RenderLimits.maxTotalBytes)");
                }
                entries.add(new Entry(file, relative, false));
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort(Comparator.comparing(Entry::relative));
        return entries;
    }

    private long write(List<Entry> entries, Path staging, TemplateModel model, List<PathMatcher> verbatim,
                       ActionLog log) throws IOException {
        Map<String, String> renderedFrom = new HashMap<>();
        long total = 0;
        int files = 0;
        int fileCount = (int) entries.stream().filter(entry -> !entry.directory()).count();
        for (Entry entry : entries) {
            String rendered = renderPath(entry, model);
            String previous = renderedFrom.putIfAbsent(rendered, entry.relative());
            if (previous != null && !(entry.directory() && Files.isDirectory(staging.resolve(rendered), LinkOption.NOFOLLOW_LINKS))) {
                throw collision(entry, rendered, previous);
            }
            Path destination = staging.resolve(rendered).normalize();
            if (!destination.startsWith(staging) || destination.equals(staging)) {
                throw leaves(entry, rendered, "it leaves the target folder");
            }
            try {
                if (entry.directory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                byte[] content = content(entry, model, verbatim);
                total += content.length;
                if (total > limits.maxTotalBytes()) {
                    throw new ActionInputException("the rendered skeleton would hold more than " + limits.maxTotalBytes()
                            + " bytes (RenderLimits.maxTotalBytes), reached at '" + entry.relative() + "'");
                }
                Files.createDirectories(destination.getParent());
                Files.write(destination, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                copyPermissions(entry.source(), destination);
            } catch (FileAlreadyExistsException e) {
                throw collision(entry, rendered, null);
            }
            if (++files % LOG_EVERY == 0) {
                log.info("rendered " + files + " of " + fileCount + " files");
            }
        }
        return total;
    }

    private byte[] content(Entry entry, TemplateModel model, List<PathMatcher> verbatim) throws IOException {
        byte[] bytes;
        // The scan refused links; reading without following them keeps one swapped in since from being read.
        try (InputStream in = Files.newInputStream(entry.source(), LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readAllBytes();
        }
        if (matchesAny(verbatim, entry.relative())) {
            return bytes;
        }
        String text = text(bytes);
        if (text == null) {
            return bytes;
        }
        if (bytes.length > limits.maxFileBytes()) {
            throw new ActionInputException("skeleton file '" + entry.relative() + "' has " + bytes.length
                    + " bytes, more than the " + limits.maxFileBytes() + " a template may have (RenderLimits.maxFileBytes);"
                    + " list it in copyWithoutTemplating to copy it as it is");
        }
        String rendered;
        try {
            rendered = velocity.render(entry.relative(), text, model);
        } catch (TemplateRenderException e) {
            throw new ActionInputException("skeleton file '" + entry.relative() + "' cannot be rendered: " + e.getMessage(), e);
        }
        byte[] out = rendered.getBytes(StandardCharsets.UTF_8);
        if (out.length > limits.maxFileBytes()) {
            throw new ActionInputException("skeleton file '" + entry.relative() + "' renders to " + out.length
                    + " bytes, more than the " + limits.maxFileBytes() + " a file may have (RenderLimits.maxFileBytes)");
        }
        return out;
    }

    /** The text of a file, or {@code null} for a binary one: one with a NUL byte or that is not UTF-8. */
    private static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private String renderPath(Entry entry, TemplateModel model) {
        String source = entry.relative();
        String rendered;
        if (source.indexOf('$') < 0 && source.indexOf('#') < 0) {
            rendered = source;
        } else {
            try {
                rendered = velocity.render("path '" + source + "'", source, model);
            } catch (TemplateRenderException e) {
                throw new ActionInputException("the name of skeleton " + (entry.directory() ? "folder" : "file")
                        + " '" + source + "' cannot be rendered: " + e.getMessage(), e);
            }
        }
        if (rendered.isEmpty()) {
            throw leaves(entry, rendered, "it is empty");
        }
        if (rendered.startsWith("/")) {
            throw leaves(entry, rendered, "it is absolute: rendered paths must stay inside the target folder");
        }
        for (int i = 0; i < rendered.length(); i++) {
            char c = rendered.charAt(i);
            if (c == '\\') {
                throw leaves(entry, rendered, "it contains a backslash");
            }
            if (Character.isISOControl(c)) {
                throw leaves(entry, rendered, "it contains a control character");
            }
        }
        for (String segment : rendered.split("/", -1)) {
            if (segment.isEmpty()) {
                throw leaves(entry, rendered, "it has an empty segment (a value rendered to nothing?)");
            }
            if (segment.equals("..")) {
                throw leaves(entry, rendered, "it has a '..' segment: rendered paths must stay inside the target folder");
            }
            if (segment.equals(".")) {
                throw leaves(entry, rendered, "it has a '.' segment");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw leaves(entry, rendered, "a name in it is longer than " + MAX_NAME_BYTES + " bytes");
            }
        }
        try {
            Path.of(rendered);
        } catch (InvalidPathException e) {
            throw leaves(entry, rendered, e.getReason());
        }
        return rendered;
    }

    private static ActionInputException leaves(Entry entry, String rendered, String why) {
        return new ActionInputException("skeleton " + (entry.directory() ? "folder" : "file") + " '" + entry.relative()
                + "' renders to the path '" + rendered + "', which is refused: " + why);
    }

    private static ActionInputException collision(Entry entry, String rendered, String previous) {
        return new ActionInputException("skeleton " + (entry.directory() ? "folder" : "file") + " '" + entry.relative()
                + "' renders to '" + rendered + "', which "
                + (previous == null ? "another entry of the skeleton also renders to" : "'" + previous + "' renders to as well"));
    }

    private void stamp(Path staging, TemplateModel model) throws IOException {
        CatalogInfoStamp stamp = CatalogInfoStamp.of(model.run());
        List<Path> descriptors;
        try (var files = Files.walk(staging)) {
            descriptors = files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(CatalogInfoStamp::appliesTo).sorted().toList();
        }
        for (Path descriptor : descriptors) {
            String yaml = Files.readString(descriptor);
            String stamped;
            try {
                stamped = stamp.stamp(yaml);
            } catch (InvalidInputException e) {
                throw new ActionInputException("the rendered " + relative(staging, descriptor) + " is "
                        + e.getMessage(), e);
            }
            if (!stamped.equals(yaml)) {
                Files.writeString(descriptor, stamped);
            }
        }
    }

    /**
     * Puts the staged result where the target is. A sub-folder target is swapped with two renames;
     * the workspace root cannot be renamed, so its entries are replaced one by one (a crash in
     * between leaves a mix, which the redelivered job's render then replaces).
     */
    private static void replace(Path root, Path target, Path staging) throws IOException {
        if (target.equals(root)) {
            try (DirectoryStream<Path> existing = Files.newDirectoryStream(root)) {
                for (Path entry : existing) {
                    if (!entry.getFileName().toString().startsWith(STAGING_PREFIX)) {
                        deleteRecursively(entry);
                    }
                }
            }
            try (DirectoryStream<Path> staged = Files.newDirectoryStream(staging)) {
                for (Path entry : staged) {
                    Files.move(entry, root.resolve(entry.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            return;
        }
        Files.createDirectories(target.getParent());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path previous = Files.createTempDirectory(root, STAGING_PREFIX + "previous-");
            Path parked = previous.resolve("target");
            Files.move(target, parked, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteRecursively(previous);
            }
        } else {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String normalizeTarget(String targetPath) {
        if (targetPath == null || targetPath.isBlank() || targetPath.equals(".") || targetPath.equals("./")) {
            return ".";
        }
        if (targetPath.startsWith("/") || targetPath.contains("\\")) {
            throw new ActionInputException("targetPath '" + targetPath + "' must be a relative path inside the workspace");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : targetPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new ActionInputException("targetPath '" + targetPath + "' may not contain '..': it must stay inside the workspace");
            }
            if (segment.startsWith(STAGING_PREFIX)) {
                throw new ActionInputException("targetPath '" + targetPath + "' names a staging folder of the renderer");
            }
            segments.add(segment);
        }
        if (segments.isEmpty()) {
            return ".";
        }
        String normalized = String.join("/", segments);
        try {
            Path.of(normalized);
        } catch (InvalidPathException e) {
            throw new ActionInputException("targetPath '" + targetPath + "' is not a valid path: " + e.getReason());
        }
        return normalized;
    }

    /** A link inside the workspace on the way to the target would make the render write wherever it points. */
    private static void refuseLinksBetween(Path root, Path target, String relativeTarget) {
        Path current = root;
        for (Path segment : root.relativize(target)) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                throw new ActionInputException("targetPath '" + relativeTarget + "' goes through the link '"
                        + root.relativize(current) + "' in the workspace; render into a real folder");
            }
        }
    }

    private static List<PathMatcher> matchers(List<String> globs) {
        List<PathMatcher> matchers = new ArrayList<>();
        if (globs == null) {
            return matchers;
        }
        for (String glob : globs) {
            String pattern = glob.startsWith("./") ? glob.substring(2) : glob;
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
            } catch (IllegalArgumentException e) {
                throw new ActionInputException("copyWithoutTemplating pattern '" + glob + "' is not a valid glob: " + e.getMessage(), e);
            }
        }
        return matchers;
    }

    /** A file matches when its path or the path of a folder it is in does, so {@code static} covers the folder's files. */
    private static boolean matchesAny(List<PathMatcher> matchers, String relative) {
        if (matchers.isEmpty()) {
            return false;
        }
        for (Path path = Path.of(relative); path != null; path = path.getParent()) {
            for (PathMatcher matcher : matchers) {
                if (matcher.matches(path)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void copyPermissions(Path source, Path destination) throws IOException {
        PosixFileAttributeView from = Files.getFileAttributeView(source, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView to = Files.getFileAttributeView(destination, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (from == null || to == null) {
            return;
        }
        // Only whether it is executable (mvnw, gradlew, scripts): the rest follows the workspace's defaults.
        Set<PosixFilePermission> wanted = to.readAttributes().permissions();
        if (from.readAttributes().permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
            wanted.add(PosixFilePermission.OWNER_EXECUTE);
            if (wanted.contains(PosixFilePermission.GROUP_READ)) {
                wanted.add(PosixFilePermission.GROUP_EXECUTE);
            }
            if (wanted.contains(PosixFilePermission.OTHERS_READ)) {
                wanted.add(PosixFilePermission.OTHERS_EXECUTE);
            }
            to.setPermissions(wanted);
        }
    }

    private static String relative(Path base, Path path) {
        List<String> parts = new ArrayList<>();
        base.relativize(path).forEach(part -> parts.add(part.toString()));
        return String.join("/", parts);
    }

    static void deleteRecursively(Path root) throws IOException {
        Workspaces.deleteTree(root);
    }
}
