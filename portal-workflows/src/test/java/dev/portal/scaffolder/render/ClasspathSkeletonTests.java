package dev.portal.scaffolder.render;

import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.scaffolder.action.ActionInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Skeletons next to templates shipped on the class path: in a folder (tests, IDEs) and in a jar (a host's build). */
class ClasspathSkeletonTests {

    private static final LocationSpec TEMPLATE = new LocationSpec("classpath", "classpath-templates/service/template.yaml");

    @TempDir
    Path dir;

    private static SkeletonSource source(ClassLoader loader, RenderLimits limits) {
        return new SkeletonSource(LocationPolicy.fenced(List.of(), List.of()), limits, Duration.ofSeconds(5), target -> null, loader);
    }

    @Test
    void aRelativeSkeletonNextToAClasspathTemplateIsCopiedFromItsFolder() throws Exception {
        SkeletonSource source = source(getClass().getClassLoader(), RenderLimits.defaults());

        SkeletonLocation location = source.locate(Runs.template("./skeleton", TEMPLATE), Optional.empty());

        assertThat(location).isEqualTo(new SkeletonLocation.ClasspathFolder("classpath-templates/service/skeleton", "classpath-templates/service/template.yaml"));
        try (Skeleton skeleton = source.open(location)) {
            assertThat(skeleton.root().resolve("README.md")).hasContent("# $values.name");
            assertThat(skeleton.root().resolve("src/App.java")).hasContent("class App {}");
        }
    }

    @Test
    void aSkeletonInsideAJarIsCopiedWithItsFoldersAndNothingElse() throws Exception {
        Path jar = dir.resolve("templates.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            entry(out, "t/service/template.yaml", "kind: Template");
            entry(out, "t/service/skeleton/README.md", "# $values.name");
            entry(out, "t/service/skeleton/src/main/App.java", "class App {}");
            entry(out, "t/service/skeleton-other/secret.txt", "not part of the skeleton");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null)) {
            SkeletonSource source = source(loader, RenderLimits.defaults());
            SkeletonLocation location = source.locate(Runs.template("skeleton",
                    new LocationSpec("classpath", "t/service/template.yaml")), Optional.empty());

            try (Skeleton skeleton = source.open(location)) {
                assertThat(skeleton.root().resolve("README.md")).hasContent("# $values.name");
                assertThat(skeleton.root().resolve("src/main/App.java")).hasContent("class App {}");
                try (var files = Files.walk(skeleton.root())) {
                    assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aSkeletonThatLeavesTheTemplatesFolderIsRefused() {
        SkeletonSource source = source(getClass().getClassLoader(), RenderLimits.defaults());

        assertThatThrownBy(() -> source.locate(Runs.template("../../render", TEMPLATE), Optional.empty()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("'../../render' leaves the template's folder classpath-templates/service");
        assertThatThrownBy(() -> source.locate(Runs.template("../../../../etc", TEMPLATE), Optional.empty()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("climbs above the class path's root");
    }

    @Test
    void aMissingFolderAndTooManyFilesAreRefusedByName() {
        SkeletonSource source = source(getClass().getClassLoader(), new RenderLimits(1, 1_000_000, 1_000_000, 100, 1_000_000, Duration.ofSeconds(5)));

        assertThatThrownBy(() -> source.open(new SkeletonLocation.ClasspathFolder("classpath-templates/none", null)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("classpath:classpath-templates/none is not on the class path");
        assertThatThrownBy(() -> source.open(new SkeletonLocation.ClasspathFolder("classpath-templates/service/skeleton", "classpath-templates/service/template.yaml")))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("more than 1 files (RenderLimits.maxFiles)");
    }

    private static void entry(JarOutputStream out, String name, String content) throws Exception {
        out.putNextEntry(new JarEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
