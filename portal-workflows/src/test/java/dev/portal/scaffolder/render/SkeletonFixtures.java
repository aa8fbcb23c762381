package dev.portal.scaffolder.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The skeletons under {@code src/test/resources/skeletons}, and ways to look at what a render left. */
public final class SkeletonFixtures {

    private SkeletonFixtures() {
    }

    /** {@code skeletons/service}: a catalog-info.yaml with two documents, a README, a templated path, a script, a PNG. */
    public static Path service() {
        try {
            return Path.of(SkeletonFixtures.class.getResource("/skeletons/service").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a folder tree, keeping whether files are executable. */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /**
     * Every file and folder under {@code root} with its content (folders and links map to a marker),
     * skipping {@code excluded} and what is in it: to show that nothing outside a workspace changed.
     */
    public static Map<String, String> snapshot(Path root, Path excluded) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(path -> excluded == null || !path.startsWith(excluded)).forEach(path -> {
                String key = root.relativize(path).toString();
                try {
                    if (Files.isSymbolicLink(path)) {
                        entries.put(key, "-> " + Files.readSymbolicLink(path));
                    } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        entries.put(key, "/");
                    } else {
                        entries.put(key, HexFormat.of().formatHex(Files.readAllBytes(path)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
