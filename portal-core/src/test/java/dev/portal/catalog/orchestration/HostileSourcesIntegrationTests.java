package dev.portal.catalog.orchestration;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.fileLocation;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sources written to hurt, registered through the API into a fenced catalog: each is refused or
 * reported as data, the process never hangs, and what was stored before stays intact.
 */
class HostileSourcesIntegrationTests {

    private static final EntityRef SVC = EntityRef.parse("component:default/svc");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    Path dir;

    private Path root;
    private Catalog catalog;

    @BeforeEach
    void fencedCatalog() throws IOException {
        root = Files.createDirectories(dir.resolve("allowed"));
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withRefreshInterval(Duration.ofMillis(1))
                .withApiLocationPolicy(LocationPolicy.fenced(List.of(root), List.of())));
    }

    private Path fifo(Path path) throws Exception {
        Files.createDirectories(path.getParent());
        assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
        return path;
    }

    private static List<String> messages(List<ProcessingError> errors) {
        return errors.stream().map(ProcessingError::message).toList();
    }

    // --- sources that never end

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void registeringANamedPipeAnswersAtOnceWithTheReason() throws Exception {
        Path pipe = fifo(root.resolve("pipe.yaml"));

        Catalog.Registration registration = catalog.register(fileLocation(pipe), Location.Origin.API);

        assertThat(messages(registration.errors())).singleElement().asString().contains("not a regular file");
        assertThatThrownBy(() -> catalog.preview(fileLocation(pipe))).hasMessageContaining("not a regular file");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPipeThatReplacesAFileStopsNeitherItsOwnRefreshNorTheOthers() throws Exception {
        Path first = write(root.resolve("first.yaml"), component("svc", "team-a"));
        Path second = write(root.resolve("second.yaml"), component("other", "team-a"));
        catalog.register(fileLocation(first), Location.Origin.API);
        catalog.register(fileLocation(second), Location.Origin.API);
        Files.delete(first);
        fifo(first);
        Files.writeString(second, component("other", "team-b"));
        Thread.sleep(5);

        int processed = catalog.refreshLoop(Duration.ofSeconds(1)).runOnce(10);

        assertThat(processed).isEqualTo(2);
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/other")).orElseThrow()
                .entity().spec().path("owner").asText()).isEqualTo("team-b");
        assertThat(catalog.entities().byRef(SVC)).as("kept from before").isPresent();
        assertThat(messages(catalog.errors(catalog.location(fileLocation(first)).orElseThrow().id())))
                .singleElement().asString().contains("not a regular file");
    }

    // --- symbolic links out of the fence

    @Test
    void aLinkOutOfTheRootIsRefusedBeforeAnythingIsReadOrStored() throws IOException {
        write(dir.resolve("secret/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Path link = Files.createSymbolicLink(Files.createDirectories(root.resolve("links")).resolve("passwd.yaml"),
                dir.resolve("secret/passwd"));

        assertThatThrownBy(() -> catalog.register(fileLocation(link), Location.Origin.API))
                .isInstanceOf(LocationNotAllowedException.class)
                .hasMessageContaining("through a symbolic link").hasMessageNotContaining("root:x");
        assertThatThrownBy(() -> catalog.preview(fileLocation(link))).isInstanceOf(LocationNotAllowedException.class);
        assertThat(catalog.locations()).isEmpty();
    }

    @Test
    void aLinkThatAppearsAfterRegistrationIsRefusedAtTheNextReadAndTheEntitiesStay() throws IOException {
        Path file = write(root.resolve("catalog-info.yaml"), component("svc", "team-a"));
        write(dir.resolve("elsewhere/catalog-info.yaml"), component("intruder", "team-a"));
        catalog.register(fileLocation(file), Location.Origin.API);
        Files.delete(file);
        Files.createSymbolicLink(file, dir.resolve("elsewhere/catalog-info.yaml"));

        ProcessingReport report = catalog.refresh(SVC).orElseThrow();

        assertThat(messages(report.errors())).singleElement().asString().contains("through a symbolic link");
        assertThat(catalog.entities().byRef(SVC)).isPresent();
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/intruder"))).isEmpty();
    }

    @Test
    void aNestedTargetThroughALinkedFolderIsRefusedOnTheEntity() throws IOException {
        write(dir.resolve("elsewhere/secret.yaml"), component("secret", "team-a"));
        Files.createSymbolicLink(root.resolve("shared"), dir.resolve("elsewhere"));
        Path all = write(root.resolve("all.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: nested}
                spec: {target: ./shared/secret.yaml}
                """);

        Catalog.Registration registration = catalog.register(fileLocation(all), Location.Origin.API);

        assertThat(messages(registration.errors())).singleElement().asString()
                .contains("location:default/nested").contains("through a symbolic link");
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/secret"))).isEmpty();
    }

    // --- content the database cannot hold, and content that expands

    @Test
    void aNulInADescriptorRejectsThatEntityNamingTheFieldAndTheLocationStaysRefreshable() throws IOException {
        Path file = write(root.resolve("catalog-info.yaml"), component("svc", "team-a") + "---\n"
                + component("nul", "team-a").replace("metadata:\n", "metadata:\n  description: \"a\\0b\"\n"));

        Catalog.Registration registration = catalog.register(fileLocation(file), Location.Origin.API);
        ProcessingReport again = catalog.refresh(SVC).orElseThrow();

        assertThat(messages(registration.errors())).singleElement().asString()
                .contains("component:default/nul", "metadata.description", "U+0000");
        assertThat(registration.entities()).containsExactly(SVC);
        assertThat(messages(again.errors())).hasSize(1);
    }

    @Test
    void aNulInTheNameItselfIsReportedAgainstTheDocument() throws IOException {
        Path file = write(root.resolve("catalog-info.yaml"), component("svc", "team-a") + "---\n"
                + component("\"a\\0b\"", "team-a"));

        Catalog.Registration registration = catalog.register(fileLocation(file), Location.Origin.API);

        assertThat(registration.errors()).isNotEmpty().allSatisfy(error -> {
            assertThat(error.message()).doesNotContain("\u0000");
            assertThat(error.entityRef()).doesNotContain("\u0000");
        });
        assertThat(catalog.errors(registration.location().id())).hasSameSizeAs(registration.errors());
    }

    @Test
    void aScalarAliasBombIsRejectedAsAWholeAndTheEntitiesStoredBeforeStay() throws IOException {
        Path file = write(root.resolve("catalog-info.yaml"), component("svc", "team-a"));
        catalog.register(fileLocation(file), Location.Origin.API);
        StringBuilder bomb = new StringBuilder(component("svc", "team-a"))
                .append("  copies:\n").append("    - &big ").append("x".repeat(64 * 1024)).append('\n');
        for (int i = 0; i < 63; i++) {
            bomb.append("    - *big\n");
        }
        Files.writeString(file, bomb);

        ProcessingReport report = catalog.refresh(SVC).orElseThrow();

        assertThat(messages(report.errors())).singleElement().asString()
                .contains(file.toString()).contains("ParserLimits.maxBytes").contains("aliases counted each time");
        assertThat(catalog.entities().byRef(SVC).orElseThrow().entity().spec().has("copies")).isFalse();
    }
}
