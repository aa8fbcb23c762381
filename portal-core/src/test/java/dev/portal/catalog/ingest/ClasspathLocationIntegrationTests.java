package dev.portal.catalog.ingest;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Descriptors shipped on the class path (the standard templates' way into a host's catalog). */
class ClasspathLocationIntegrationTests {

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    private final ClasspathLocationReader reader = new ClasspathLocationReader(getClass().getClassLoader(), 64 * 1024);
    private Catalog catalog;

    @BeforeEach
    void catalogWithTheClasspathReader() {
        List<LocationReader> readers = new ArrayList<>(Catalog.defaultReaders(CatalogSettings.defaults()));
        readers.add(reader);
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults()
                .withApiLocationPolicy(LocationPolicy.fenced(List.of(Path.of("/")), List.of("localhost"))), readers);
    }

    @Test
    void aConfiguredClasspathLocationIsReadWithTheLocationsItNames() {
        var registration = catalog.register(new LocationSpec("classpath", "classpath-catalog/all.yaml"), Location.Origin.CONFIG);

        assertThat(registration.errors()).isEmpty();
        Entity component = catalog.entities().byRef(EntityRef.parse("component:default/from-the-classpath")).orElseThrow().entity();
        assertThat(component.annotation(Entity.MANAGED_BY_LOCATION))
                .contains("classpath:classpath-catalog/nested/component.yaml");
    }

    @Test
    void theApiMayNotRegisterClasspathLocations() {
        assertThatThrownBy(() -> catalog.register(new LocationSpec("classpath", "application.yaml"), Location.Origin.API))
                .isInstanceOf(LocationNotAllowedException.class)
                .hasMessageContaining("location type 'classpath' may not be registered");
        assertThat(catalog.locations()).isEmpty();
    }

    @Test
    void relativeTargetsResolveInsideTheClassPathAndMayNotClimbAboveIt() {
        LocationSpec base = new LocationSpec("classpath", "classpath:/a/b/all.yaml");

        assertThat(reader.resolve(base, "./c/x.yaml")).isEqualTo(new LocationSpec("classpath", "a/b/c/x.yaml"));
        assertThat(reader.resolve(base, "../x.yaml")).isEqualTo(new LocationSpec("classpath", "a/x.yaml"));
        assertThatThrownBy(() -> reader.resolve(base, "../../../etc/passwd"))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("climbs above the class path's root");
        assertThatThrownBy(() -> reader.resolve(base, "https://example.com/x.yaml"))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("not a class path resource");
    }

    @Test
    void aMissingResourceIsAReadErrorNamingIt() {
        assertThatThrownBy(() -> reader.read(new LocationSpec("classpath", "no/such/file.yaml"), null))
                .isInstanceOf(LocationReadException.class).hasMessageContaining("no resource no/such/file.yaml on the class path");
    }

    @Test
    void anUnchangedResourceIsNotTransferredAgain() {
        LocationSpec spec = new LocationSpec("classpath", "classpath-catalog/all.yaml");
        SourceContent first = reader.read(spec, null);

        assertThat(reader.read(spec, first.version()).isUnchanged()).isTrue();
    }

    @Test
    void aLocationReadFromAFileOrGitMayNotPointIntoTheClassPath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("catalog-info.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: sneaky}
                spec: {type: classpath, target: classpath-catalog/nested/component.yaml}
                """);

        var registration = catalog.register(new LocationSpec("file", file.toString()), Location.Origin.CONFIG);

        assertThat(registration.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("may not point into the application's class path"));
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/from-the-classpath"))).isEmpty();
    }
}
