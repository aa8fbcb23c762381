package dev.portal.catalog.orchestration;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ConfiguredLocation;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.fileLocation;
import static dev.portal.catalog.testing.CatalogTestSupport.group;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static dev.portal.db.Tables.LOCATIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who belongs to which team decides who may approve what, so people and teams come only from
 * trusted sources, and nobody takes over an entity another registration provides.
 */
class TrustedSourcesIntegrationTests {

    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef PLATFORM = EntityRef.parse("group:default/platform");
    private static final EntityRef SVC = EntityRef.parse("component:default/svc");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    Path dir;

    private Catalog catalog;

    @BeforeEach
    void emptyCatalog() {
        CatalogTestSupport.truncate(db.dsl());
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
    }

    private static String user(String name, String... groups) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata:
                  name: %s
                spec:
                  memberOf: [%s]
                """.formatted(name, String.join(", ", groups));
    }

    private Optional<StoredEntity> stored(EntityRef ref) {
        return catalog.entities().byRef(ref);
    }

    private List<String> messages(Catalog.Registration registration) {
        return registration.errors().stream().map(ProcessingError::message).toList();
    }

    // --- people and teams only from trusted registrations

    @Test
    void aLocationRegisteredThroughTheApiMayNotDefinePeopleOrTeamsButKeepsItsOtherEntities() {
        Path file = write(dir.resolve("evil.yaml"), user("mallory", "platform") + "---\n" + group("admins") + "---\n"
                + component("svc", "platform"));

        Catalog.Registration registration = catalog.register(fileLocation(file), Location.Origin.API);

        assertThat(registration.entities()).containsExactly(SVC);
        assertThat(stored(EntityRef.parse("user:default/mallory"))).isEmpty();
        assertThat(stored(EntityRef.parse("group:default/admins"))).isEmpty();
        assertThat(messages(registration)).hasSize(2).allSatisfy(message -> assertThat(message)
                .contains("accepted only from locations the application trusts", "registered through the API"));
        assertThat(catalog.errors(EntityRef.parse("user:default/mallory"))).singleElement()
                .satisfies(error -> assertThat(error.message()).startsWith("user:default/mallory: User entities define"));
    }

    @Test
    void aConfiguredLocationDefinesPeopleAndTeamsAndSoDoTheLocationsItNames() {
        Path org = write(dir.resolve("org/people.yaml"), user("alice", "platform") + "---\n" + group("platform"));
        Path root = write(dir.resolve("all.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: all}
                spec: {targets: [./org/people.yaml]}
                """);

        List<Catalog.Registration> registrations = catalog.syncConfigured(List.of(
                new ConfiguredLocation(fileLocation(root), true)));

        assertThat(registrations.getFirst().errors()).isEmpty();
        assertThat(stored(ALICE)).isPresent();
        assertThat(stored(PLATFORM)).isPresent();
        assertThat(catalog.location(fileLocation(org)).orElseThrow().origin()).isEqualTo(Location.Origin.ENTITY);
    }

    @Test
    void aConfiguredLocationMarkedUntrustedMayNotDefinePeopleOrTeams() {
        Path repos = write(dir.resolve("team-repos.yaml"), group("platform") + "---\n" + component("svc", "platform"));

        Catalog.Registration registration = catalog.syncConfigured(List.of(
                new ConfiguredLocation(fileLocation(repos), false))).getFirst();

        assertThat(registration.entities()).containsExactly(SVC);
        assertThat(stored(PLATFORM)).isEmpty();
        assertThat(messages(registration)).singleElement().asString().contains("configured with trusted: false");
    }

    @Test
    void locationsNamedByAnApiRegistrationAreNotTrustedEither() {
        write(dir.resolve("nested/people.yaml"), user("mallory", "platform"));
        Path root = write(dir.resolve("root.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: root}
                spec: {targets: [./nested/people.yaml]}
                """);

        Catalog.Registration registration = catalog.register(fileLocation(root), Location.Origin.API);

        assertThat(stored(EntityRef.parse("user:default/mallory"))).isEmpty();
        assertThat(messages(registration)).anySatisfy(message -> assertThat(message)
                .contains("user:default/mallory", "registered through the API"));
    }

    @Test
    void aUserStoredFromAnUntrustedLocationBeforeTheRuleBecomesAnOrphanAtTheNextPass() throws Exception {
        Path file = write(dir.resolve("team.yaml"), user("mallory", "platform") + "---\n" + component("svc", "platform"));
        Location location = catalog.register(fileLocation(file), Location.Origin.CONFIG).location();
        // what an API registration that provided a User looks like after the upgrade that brings this rule
        db.dsl().update(LOCATIONS).set(LOCATIONS.ORIGIN, "api").set(LOCATIONS.TRUSTED, false)
                .where(LOCATIONS.ID.eq(location.id())).execute();
        db.dsl().update(LOCATIONS).setNull(LOCATIONS.SOURCE_VERSION).where(LOCATIONS.ID.eq(location.id())).execute();

        ProcessingReport report = catalog.refresh(SVC).orElseThrow();

        assertThat(report.orphaned()).isEqualTo(1);
        assertThat(stored(EntityRef.parse("user:default/mallory"))).hasValueSatisfying(mallory ->
                assertThat(mallory.orphan()).isTrue());
        assertThat(stored(SVC).orElseThrow().orphan()).isFalse();
    }

    // --- nobody takes over what another registration provides, orphaned or not

    @Test
    void anOrphanStaysWithItsRegistrationUntilItIsDeleted() {
        Path first = write(dir.resolve("first.yaml"), component("svc", "team-a"));
        Path second = write(dir.resolve("second.yaml"), component("svc", "team-b"));
        Location registered = catalog.register(fileLocation(first), Location.Origin.API).location();
        catalog.removeLocation(registered.id());
        assertThat(stored(SVC)).hasValueSatisfying(svc -> assertThat(svc.orphan()).isTrue());

        Catalog.Registration takeover = catalog.register(fileLocation(second), Location.Origin.API);

        assertThat(takeover.entities()).isEmpty();
        assertThat(messages(takeover)).singleElement().asString()
                .contains("already provided by the registration " + fileLocation(first).ref(), "delete the orphaned entity");
        assertThat(stored(SVC).orElseThrow().entity().spec().path("owner").asText()).isEqualTo("team-a");

        catalog.deleteOrphans();
        Catalog.Registration afterDelete = catalog.register(fileLocation(second), Location.Origin.API);
        assertThat(afterDelete.entities()).containsExactly(SVC);
        assertThat(stored(SVC).orElseThrow().entity().spec().path("owner").asText()).isEqualTo("team-b");
    }

    @Test
    void theSameRegistrationTakesItsOrphanBack() {
        Path file = write(dir.resolve("svc.yaml"), component("svc", "team-a"));
        Location registered = catalog.register(fileLocation(file), Location.Origin.API).location();
        catalog.removeLocation(registered.id());

        Catalog.Registration again = catalog.register(fileLocation(file), Location.Origin.API);

        assertThat(again.errors()).isEmpty();
        assertThat(stored(SVC)).hasValueSatisfying(svc -> assertThat(svc.orphan()).isFalse());
    }

    @Test
    void anEntityMovesBetweenFilesOfOneRegistration() throws Exception {
        Path a = write(dir.resolve("a.yaml"), component("svc", "team-a"));
        Path b = write(dir.resolve("b.yaml"), component("other", "team-a"));
        Path root = write(dir.resolve("all.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: all}
                spec: {targets: [./a.yaml, ./b.yaml]}
                """);
        catalog.register(fileLocation(root), Location.Origin.API);

        Files.writeString(a, component("other-a", "team-a"));
        catalog.refresh(SVC);
        Files.writeString(b, component("other", "team-a") + "---\n" + component("svc", "team-b"));
        catalog.refresh(EntityRef.parse("component:default/other"));

        StoredEntity moved = stored(SVC).orElseThrow();
        assertThat(moved.orphan()).isFalse();
        assertThat(moved.entity().spec().path("owner").asText()).isEqualTo("team-b");
        assertThat(catalog.locationOf(SVC).map(Location::spec)).contains(fileLocation(b));
    }

    // --- configured locations belong to the configuration

    @Test
    void configuredAndNestedLocationsCannotBeRemovedButRegisteredOnesCan() {
        Path nested = write(dir.resolve("svc.yaml"), component("svc", "team-a"));
        Path root = write(dir.resolve("all.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: all}
                spec: {targets: [./svc.yaml]}
                """);
        Location configured = catalog.syncConfigured(List.of(new ConfiguredLocation(fileLocation(root), true)))
                .getFirst().location();
        Location child = catalog.location(fileLocation(nested)).orElseThrow();
        Location registered = catalog.register(fileLocation(write(dir.resolve("mine.yaml"), component("mine", "team-a"))),
                Location.Origin.API).location();

        assertThatThrownBy(() -> catalog.removeLocation(configured.id())).isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("comes from the application's configuration");
        assertThatThrownBy(() -> catalog.removeLocation(child.id())).isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("is named by a Location entity of " + fileLocation(root).ref());
        assertThat(catalog.removeLocation(registered.id())).isTrue();
        assertThat(catalog.location(configured.id())).isPresent();
        assertThat(stored(SVC).orElseThrow().orphan()).isFalse();
    }

    @Test
    void aLocationNoLongerConfiguredGoesAndItsEntitiesBecomeOrphans() {
        Path kept = write(dir.resolve("kept.yaml"), component("kept", "team-a"));
        Path dropped = write(dir.resolve("dropped.yaml"), component("svc", "team-a"));
        Location registered = catalog.register(fileLocation(write(dir.resolve("mine.yaml"), component("mine", "team-a"))),
                Location.Origin.API).location();
        catalog.syncConfigured(List.of(new ConfiguredLocation(fileLocation(kept), true),
                new ConfiguredLocation(fileLocation(dropped), true)));

        catalog.syncConfigured(List.of(new ConfiguredLocation(fileLocation(kept), true)));

        assertThat(catalog.location(fileLocation(dropped))).isEmpty();
        assertThat(stored(SVC).orElseThrow().orphan()).isTrue();
        assertThat(catalog.location(fileLocation(kept))).isPresent();
        assertThat(catalog.location(registered.id())).as("registrations are not configuration").isPresent();
    }

    @Test
    void configuringALocationSomebodyRegisteredMakesItConfiguration() {
        Path file = write(dir.resolve("org.yaml"), group("platform"));
        catalog.register(fileLocation(file), Location.Origin.API);
        assertThat(stored(PLATFORM)).isEmpty();

        Location configured = catalog.syncConfigured(List.of(new ConfiguredLocation(fileLocation(file), true)))
                .getFirst().location();

        assertThat(configured.origin()).isEqualTo(Location.Origin.CONFIG);
        assertThat(configured.trusted()).isTrue();
        assertThat(stored(PLATFORM)).isPresent();
    }

    // --- credentials never in a target; fan-out bounded

    @Test
    void refusesTargetsWithAPasswordAndNeverRepeatsIt() {
        LocationSpec secret = new LocationSpec(LocationSpec.URL,
                "https://bot:s3cr3t@git.example.com/org/repo.git/-/blob/main/catalog-info.yaml");

        assertThatThrownBy(() -> catalog.register(secret, Location.Origin.API)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("carries a password").hasMessageContaining("https://bot:***@git.example.com")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> catalog.syncConfigured(List.of(new ConfiguredLocation(secret, true))))
                .hasMessageNotContaining("s3cr3t");
        assertThat(catalog.locations()).isEmpty();
    }

    @Test
    void aNestedTargetWithAPasswordIsAProcessingErrorThatDoesNotRepeatIt() {
        Path root = write(dir.resolve("root.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: root}
                spec:
                  type: url
                  targets: ['https://bot:s3cr3t@git.example.com/org/repo.git/-/blob/main/catalog-info.yaml']
                """);

        Catalog.Registration registration = catalog.register(fileLocation(root), Location.Origin.CONFIG);

        assertThat(messages(registration)).singleElement().asString().contains("carries a password")
                .doesNotContain("s3cr3t");
        assertThat(catalog.locations()).hasSize(1);
    }

    @Test
    void oneLocationNamesAtMostTheConfiguredNumberOfLocations() {
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withNestedLocationLimits(3, 100));
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            write(dir.resolve("n" + i + ".yaml"), component("svc-" + i, "team-a"));
            targets.append(i == 0 ? "" : ", ").append("./n").append(i).append(".yaml");
        }
        Path root = write(dir.resolve("root.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: root}
                spec: {targets: [%s]}
                """.formatted(targets));

        Catalog.Registration registration = catalog.register(fileLocation(root), Location.Origin.API);

        assertThat(catalog.locations()).hasSize(4);
        assertThat(messages(registration)).singleElement().asString()
                .contains("more than 3 locations", "'./n3.yaml' and the rest are not read");
    }

    @Test
    void oneRegistrationLeadsToAtMostTheConfiguredNumberOfLocations() {
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withNestedLocationLimits(10, 3));
        // a chain: root -> l1 -> l2 -> l3 -> l4, each naming the next
        for (int i = 1; i <= 4; i++) {
            write(dir.resolve("l" + i + ".yaml"), """
                    apiVersion: backstage.io/v1alpha1
                    kind: Location
                    metadata: {name: l%d}
                    spec: {targets: [./l%d.yaml]}
                    """.formatted(i, i + 1));
        }
        write(dir.resolve("l5.yaml"), component("svc", "team-a"));
        Path root = write(dir.resolve("root.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: root}
                spec: {targets: [./l1.yaml]}
                """);

        Catalog.Registration registration = catalog.register(fileLocation(root), Location.Origin.API);

        assertThat(catalog.locations()).hasSize(3);
        assertThat(messages(registration)).anySatisfy(message -> assertThat(message)
                .contains("more locations than its registration", "at most 3 locations per registration"));
        assertThat(stored(SVC)).isEmpty();
    }
}
