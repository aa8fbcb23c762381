package dev.portal.catalog.orchestration;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.fileLocation;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocationPolicyIntegrationTests {

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    private Catalog catalog;

    @TempDir
    Path dir;

    @BeforeEach
    void fencedCatalog() {
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults()
                .withApiLocationPolicy(LocationPolicy.fenced(List.of(dir.resolve("allowed")), List.of())));
    }

    private static String location(String target) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: nested
                spec:
                  target: %s
                """.formatted(target);
    }

    @Test
    void aLocationOutsideTheAllowedRootsIsRefusedBeforeAnythingIsStored() {
        Path outside = write(dir.resolve("elsewhere/catalog-info.yaml"), component("svc", "team-a"));

        assertThatThrownBy(() -> catalog.register(fileLocation(outside), Location.Origin.API))
                .isInstanceOf(LocationNotAllowedException.class)
                .hasMessageContaining("outside the allowed file roots");
        assertThat(catalog.locations()).isEmpty();
    }

    @Test
    void aNestedTargetThatEscapesTheAllowedRootsIsRefusedOnTheEntity() {
        write(dir.resolve("elsewhere/secret.yaml"), component("secret", "team-a"));
        Path root = write(dir.resolve("allowed/all.yaml"), location("../elsewhere/secret.yaml"));

        Catalog.Registration registration = catalog.register(fileLocation(root), Location.Origin.API);

        assertThat(registration.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("location:default/nested").contains("may not be read"));
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/secret"))).isEmpty();
        assertThat(catalog.locations()).hasSize(1);
    }

    @Test
    void locationsFromConfigurationAreTrustedWithWhatTheyNest() {
        write(dir.resolve("elsewhere/svc.yaml"), component("svc", "team-a"));
        Path root = write(dir.resolve("config/all.yaml"), location("../elsewhere/svc.yaml"));

        Catalog.Registration registration = catalog.register(fileLocation(root), Location.Origin.CONFIG);

        assertThat(registration.errors()).isEmpty();
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/svc"))).isPresent();
    }

    @Test
    void aDryRunIsFencedLikeARegistration() {
        Path outside = write(dir.resolve("elsewhere/catalog-info.yaml"), component("svc", "team-a"));

        assertThatThrownBy(() -> catalog.preview(fileLocation(outside)))
                .isInstanceOf(LocationNotAllowedException.class);
    }
}
