package dev.portal.catalog.orchestration;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.EntityQuery;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.group;
import static dev.portal.catalog.testing.CatalogTestSupport.register;
import static dev.portal.catalog.testing.CatalogTestSupport.registerThroughApi;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

class LocationProcessingIntegrationTests {

    private static final EntityRef SVC = EntityRef.parse("component:default/svc");
    private static final EntityRef TEAM = EntityRef.parse("group:default/team-a");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    private Catalog catalog;

    @TempDir
    Path dir;

    @BeforeEach
    void emptyCatalog() {
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
    }

    private StoredEntity stored(EntityRef ref) {
        return catalog.entities().byRef(ref).orElseThrow(() -> new AssertionError(ref + " is not in the catalog"));
    }

    @Test
    void registeredLocationIsQueryableWhenRegistrationReturns() {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a") + "---\n" + group("team-a"));

        Catalog.Registration registration = register(catalog, file);

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).containsExactly(SVC, TEAM);
        StoredEntity svc = stored(SVC);
        assertThat(svc.entity().metadata().path("namespace").asText()).as("defaulted namespace is served")
                .isEqualTo("default");
        assertThat(svc.entity().annotation(Entity.MANAGED_BY_LOCATION)).contains("file:" + file);
        assertThat(svc.entity().annotation(Entity.MANAGED_BY_ORIGIN_LOCATION)).contains("file:" + file);
        assertThat(svc.relations()).contains(new Relation(SVC, RelationType.OWNED_BY, TEAM));
        assertThat(stored(TEAM).relations()).contains(new Relation(TEAM, RelationType.OWNER_OF, SVC));
    }

    @Test
    void changedFileUpdatesTheEntityWithANewEtagAndGeneration() throws Exception {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        register(catalog, file);
        StoredEntity before = stored(SVC);

        Files.writeString(file, component("svc", "team-b"));
        catalog.refresh(SVC);

        StoredEntity after = stored(SVC);
        assertThat(after.uid()).isEqualTo(before.uid());
        assertThat(after.etag()).isNotEqualTo(before.etag());
        assertThat(after.generation()).isEqualTo(before.generation() + 1);
        assertThat(after.entity().spec().path("owner").asText()).isEqualTo("team-b");
    }

    @Test
    void unchangedSourceIsNotProcessedAgainAndKeepsItsEtag() {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        register(catalog, file);
        String etag = stored(SVC).etag();

        ProcessingReport report = catalog.refresh(SVC).orElseThrow();

        assertThat(report.unchanged()).isTrue();
        assertThat(stored(SVC).etag()).isEqualTo(etag);
    }

    @Test
    void entityRemovedFromItsFileBecomesAnOrphanAndComesBackWhenRestored() throws Exception {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a") + "---\n" + group("team-a"));
        register(catalog, file);

        Files.writeString(file, group("team-a"));
        ProcessingReport report = catalog.refresh(TEAM).orElseThrow();

        assertThat(report.orphaned()).isEqualTo(1);
        StoredEntity orphan = stored(SVC);
        assertThat(orphan.orphan()).isTrue();
        assertThat(orphan.entity().annotation(Entity.ORPHAN)).contains("true");

        Files.writeString(file, component("svc", "team-a") + "---\n" + group("team-a"));
        catalog.refresh(TEAM);
        assertThat(stored(SVC).orphan()).isFalse();
        assertThat(stored(SVC).entity().annotation(Entity.ORPHAN)).isEmpty();
    }

    @Test
    void orphansAreRemovable() throws Exception {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a") + "---\n" + group("team-a"));
        register(catalog, file);
        Files.writeString(file, group("team-a"));
        catalog.refresh(TEAM);

        assertThat(catalog.deleteOrphans()).isEqualTo(1);

        assertThat(catalog.entities().byRef(SVC)).isEmpty();
        assertThat(catalog.entities().byRef(TEAM)).isPresent();
    }

    @Test
    void aRefClaimedByASecondLocationStaysWithTheFirstAndTheSecondGetsAnError() {
        Path first = write(dir.resolve("a/catalog-info.yaml"), component("svc", "team-a"));
        Path second = write(dir.resolve("b/catalog-info.yaml"), component("svc", "team-b") + "---\n" + group("team-b"));
        Catalog.Registration firstRegistration = register(catalog, first);

        Catalog.Registration secondRegistration = register(catalog, second);

        assertThat(stored(SVC).locationId()).isEqualTo(firstRegistration.location().id());
        assertThat(stored(SVC).entity().spec().path("owner").asText()).isEqualTo("team-a");
        assertThat(secondRegistration.errors()).singleElement().satisfies(error -> {
            assertThat(error.entityRef()).isEqualTo("component:default/svc");
            assertThat(error.message()).contains("already provided by location file:" + first);
        });
        assertThat(catalog.entities().byRef(EntityRef.parse("group:default/team-b"))).isPresent();
    }

    @Test
    void anInvalidEntityDoesNotBlockTheValidOnesAndItsErrorIsQueryable() {
        String invalid = """
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: broken
                spec:
                  type: service
                  owner: team-a
                """;
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a") + "---\n" + invalid
                + "---\n" + group("team-a"));

        Catalog.Registration registration = register(catalog, file);

        assertThat(registration.entities()).containsExactlyInAnyOrder(SVC, TEAM);
        List<ProcessingError> errors = catalog.errors(registration.location().id());
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.entityRef()).isEqualTo("component:default/broken");
            assertThat(error.message()).contains("component:default/broken").contains("spec.lifecycle");
        });
        assertThat(catalog.errors(EntityRef.parse("component:default/broken"))).isEqualTo(errors);
        assertThat(catalog.location(registration.location().id()).orElseThrow().lastError()).contains("spec.lifecycle");
    }

    @Test
    void anEntityEditedIntoAnInvalidStateKeepsItsLastValidVersion() throws Exception {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        register(catalog, file);
        String etag = stored(SVC).etag();

        Files.writeString(file, component("svc", "not a valid ref!!"));
        ProcessingReport report = catalog.refresh(SVC).orElseThrow();

        assertThat(report.errors()).isNotEmpty();
        assertThat(stored(SVC).etag()).isEqualTo(etag);
        assertThat(stored(SVC).orphan()).isFalse();
        assertThat(stored(SVC).problems()).as("the kept version says why it was kept")
                .singleElement().asString().contains("component:default/svc", "spec.owner");

        Files.writeString(file, component("svc", "team-b"));
        catalog.refresh(SVC);
        assertThat(stored(SVC).problems()).isEmpty();
        assertThat(catalog.entities().query(dev.portal.catalog.query.EntityQuery.of(
                dev.portal.catalog.query.EntityFilter.everything())).items())
                .allSatisfy(entity -> assertThat(entity.problems()).isEmpty());
    }

    @Test
    void aSourceThatCannotBeReadKeepsTheEntitiesStoredBefore() throws Exception {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        register(catalog, file);

        Files.delete(file);
        ProcessingReport report = catalog.refresh(SVC).orElseThrow();

        assertThat(report.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("no such file"));
        assertThat(stored(SVC).orphan()).isFalse();
    }

    @Test
    void aYamlBombIsRejectedWithAClearErrorAndNothingIsStored() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(",*").append(prev).append(",*")
                    .append(prev).append(",*").append(prev).append(",*").append(prev).append(",*").append(prev)
                    .append(",*").append(prev).append(",*").append(prev).append(",*").append(prev).append("]\n");
        }
        Path file = write(dir.resolve("bomb.yaml"), bomb.toString());

        Catalog.Registration registration = register(catalog, file);

        assertThat(registration.entities()).isEmpty();
        assertThat(registration.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).containsIgnoringCase("alias"));
        assertThat(catalog.entities().query(EntityQuery.of(EntityFilter.everything())).items()).isEmpty();
    }

    @Test
    void aTenMegabyteDescriptorIsRejectedWithAClearErrorAndNothingIsStored() {
        String padding = "# " + "x".repeat(1022) + "\n";
        Path file = write(dir.resolve("huge.yaml"), component("svc", "team-a") + padding.repeat(10 * 1024));

        Catalog.Registration registration = register(catalog, file);

        assertThat(registration.entities()).isEmpty();
        assertThat(registration.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("larger than").contains("maxBytes"));
        assertThat(catalog.entities().byRef(SVC)).isEmpty();
    }

    @Test
    void locationEntitiesNestFurtherLocationsWithTargetsRelativeToTheirFile() {
        Path root = write(dir.resolve("all.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: root
                spec:
                  targets: [./teams/team-a.yaml, ./services/svc.yaml]
                """);
        write(dir.resolve("teams/team-a.yaml"), group("team-a"));
        Path svcFile = write(dir.resolve("services/svc.yaml"), component("svc", "team-a"));

        Catalog.Registration registration = register(catalog, root);

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).contains(SVC, TEAM, EntityRef.parse("location:default/root"));
        StoredEntity svc = stored(SVC);
        assertThat(svc.entity().annotation(Entity.MANAGED_BY_LOCATION)).contains("file:" + svcFile);
        assertThat(svc.entity().annotation(Entity.MANAGED_BY_ORIGIN_LOCATION)).contains("file:" + root);
        assertThat(catalog.locations()).extracting(Location::origin)
                .containsExactlyInAnyOrder(Location.Origin.CONFIG, Location.Origin.ENTITY, Location.Origin.ENTITY);
    }

    @Test
    void droppingATargetFromALocationEntityOrphansWhatCameFromIt() throws Exception {
        Path root = write(dir.resolve("all.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: root
                spec:
                  targets: [./svc.yaml]
                """);
        write(dir.resolve("svc.yaml"), component("svc", "team-a"));
        register(catalog, root);

        Files.writeString(root, """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: root
                spec:
                  targets: []
                """);
        catalog.refresh(EntityRef.parse("location:default/root"));

        assertThat(stored(SVC).orphan()).isTrue();
        assertThat(catalog.locations()).hasSize(1);
    }

    @Test
    void removingALocationOrphansItsEntities() {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        Catalog.Registration registration = registerThroughApi(catalog, file);

        assertThat(catalog.removeLocation(registration.location().id())).isTrue();

        assertThat(catalog.location(registration.location().id())).isEmpty();
        assertThat(stored(SVC).orphan()).isTrue();
    }

    @Test
    void aDeletedEntityComesBackWithANewUidWhenItsLocationIsRefreshed() {
        Path file = write(dir.resolve("catalog-info.yaml"), component("svc", "team-a"));
        register(catalog, file);
        StoredEntity before = stored(SVC);

        assertThat(catalog.deleteEntity(before.uid())).isTrue();
        assertThat(catalog.entities().byUid(before.uid())).isEmpty();

        catalog.refreshLoop(Duration.ofSeconds(1)).runOnce(10);
        assertThat(stored(SVC).uid()).isNotEqualTo(before.uid());
    }
}
