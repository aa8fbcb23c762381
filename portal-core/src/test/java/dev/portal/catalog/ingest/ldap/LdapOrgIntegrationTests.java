package dev.portal.catalog.ingest.ldap;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.FileLocationReader;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.DemoDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.portal.catalog.testing.CatalogTestSupport.fileLocation;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** People and teams from a real LDAP round trip: UnboundID's in-memory server with the demo organization. */
class LdapOrgIntegrationTests {

    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef BOB = EntityRef.parse("user:default/bob");
    private static final EntityRef CAROL = EntityRef.parse("user:default/carol");
    private static final EntityRef PAYMENTS = EntityRef.parse("group:default/payments");
    private static final EntityRef PLATFORM = EntityRef.parse("group:default/platform");
    private static final EntityRef ENGINEERING = EntityRef.parse("group:default/engineering");
    private static final EntityRef ACME = EntityRef.parse("group:default/acme");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    Path dir;

    DemoDirectory directory;

    @BeforeEach
    void start() throws Exception {
        directory = new DemoDirectory();
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    private Catalog catalog(LdapOrgSettings... settings) {
        List<LocationReader> readers = new ArrayList<>();
        readers.add(new FileLocationReader(1 << 20));
        readers.add(new LdapOrgLocationReader(List.of(settings), 1 << 20, 10_000));
        return new Catalog(db.dsl(), CatalogSettings.defaults()
                .withApiLocationPolicy(LocationPolicy.fenced(List.of(dir), List.of())), readers);
    }

    private static StoredEntity stored(Catalog catalog, EntityRef ref) {
        return catalog.entities().byRef(ref).orElseThrow(() -> new AssertionError(ref + " is not in the catalog"));
    }

    private static List<String> memberOf(Catalog catalog, EntityRef user) {
        List<String> groups = new ArrayList<>();
        stored(catalog, user).entity().spec().path("memberOf").forEach(group -> groups.add(group.asText()));
        return groups;
    }

    private static List<String> relations(Catalog catalog, EntityRef ref, String type) {
        return stored(catalog, ref).relations().stream().filter(r -> r.type().equals(type))
                .map(r -> r.target().canonical()).sorted().toList();
    }

    @Test
    void readsUsersGroupsAndNestedGroupsWithBackstagesAnnotations() {
        Catalog catalog = catalog(directory.settings("acme", 0));

        Catalog.Registration registration = catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG);

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).containsExactlyInAnyOrder(ALICE, BOB, CAROL, PAYMENTS, PLATFORM, ENGINEERING, ACME);
        assertThat(memberOf(catalog, ALICE)).containsExactly("payments");
        assertThat(memberOf(catalog, CAROL)).containsExactly("platform");
        assertThat(relations(catalog, PAYMENTS, "hasMember")).containsExactly("user:default/alice", "user:default/bob");
        assertThat(relations(catalog, PAYMENTS, "childOf")).containsExactly("group:default/engineering");
        assertThat(relations(catalog, ENGINEERING, "parentOf")).containsExactly("group:default/payments",
                "group:default/platform");
        assertThat(relations(catalog, ENGINEERING, "childOf")).containsExactly("group:default/acme");
        Entity alice = stored(catalog, ALICE).entity();
        assertThat(alice.annotation(LdapOrgLocationReader.DN_ANNOTATION)).contains(DemoDirectory.user("alice"));
        assertThat(alice.annotation(LdapOrgLocationReader.RDN_ANNOTATION)).contains("alice");
        assertThat(alice.annotation(LdapOrgLocationReader.UUID_ANNOTATION)).hasValueSatisfying(uuid ->
                assertThat(uuid).matches("[0-9a-f-]{36}"));
        assertThat(alice.spec().path("profile").path("displayName").asText()).isEqualTo("Alice Developer");
        assertThat(alice.spec().path("profile").path("email").asText()).isEqualTo("alice@acme.example");
        assertThat(stored(catalog, PAYMENTS).entity().spec().path("type").asText()).isEqualTo("team");
        assertThat(stored(catalog, PAYMENTS).entity().metadata().path("description").asText())
                .isEqualTo("Owns everything that moves money.");
    }

    @Test
    void membershipChangesArePickedUpAtTheNextRefresh() throws Exception {
        Catalog catalog = catalog(directory.settings("acme", 0));
        catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG);

        directory.removeMember("payments", DemoDirectory.user("alice"));
        directory.addMember("platform", DemoDirectory.user("alice"));
        catalog.refresh(ALICE).orElseThrow();

        assertThat(memberOf(catalog, ALICE)).containsExactly("platform");
        assertThat(relations(catalog, PAYMENTS, "hasMember")).containsExactly("user:default/bob");
        assertThat(relations(catalog, PLATFORM, "hasMember")).containsExactly("user:default/alice", "user:default/carol");
    }

    @Test
    void anUnchangedDirectoryIsNotProcessedAgain() {
        Catalog catalog = catalog(directory.settings("acme", 0));
        catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG);

        assertThat(catalog.refresh(ALICE).orElseThrow().unchanged()).isTrue();
    }

    @Test
    void aUserRemovedFromTheDirectoryIsOrphaned() throws Exception {
        Catalog catalog = catalog(directory.settings("acme", 0));
        catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG);

        directory.removeMember("payments", DemoDirectory.user("bob"));
        directory.delete(DemoDirectory.user("bob"));
        var report = catalog.refresh(ALICE).orElseThrow();

        assertThat(report.orphaned()).isEqualTo(1);
        assertThat(stored(catalog, BOB).orphan()).isTrue();
        assertThat(stored(catalog, ALICE).orphan()).isFalse();
    }

    @Test
    void pagedSearchesReadEveryEntry() {
        Catalog catalog = catalog(directory.settings("acme", 1));

        assertThat(catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG).entities()).hasSize(7);
    }

    @Test
    void setPutsConfiguredValuesOnEveryEntityOfASearch() {
        LdapOrgSettings base = directory.settings("acme", 0);
        LdapOrgSettings.Search users = base.users().getFirst();
        LdapOrgSettings settings = new LdapOrgSettings("acme", base.target(), base.bindDn(), base.bindSecret(),
                List.of(new LdapOrgSettings.Search(users.dn(), users.scope(), users.filter(), 0, Map.of("displayName", "sn"),
                        Map.of("metadata.labels.source", TextNode.valueOf("ldap")))), base.groups(), base.timeout());
        Catalog catalog = catalog(settings);

        catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG);

        assertThat(stored(catalog, ALICE).entity().metadata().path("labels").path("source").asText())
                .isEqualTo("ldap");
        assertThat(stored(catalog, ALICE).entity().spec().path("profile").path("displayName").asText())
                .isEqualTo("Developer");
    }

    @Test
    void aDirectoryThatCannotBeReadKeepsWhatWasReadBeforeAndNeverShowsTheSecret() {
        Catalog catalog = catalog(directory.settings("acme", 0));
        catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.CONFIG);
        LdapOrgSettings good = directory.settings("acme", 0);
        Catalog wrongSecret = catalog(new LdapOrgSettings("acme", good.target(), good.bindDn(), "wrong-secret",
                good.users(), good.groups(), Duration.ofSeconds(5)));

        var report = wrongSecret.refresh(ALICE).orElseThrow();

        assertThat(report.errors()).singleElement().satisfies(error -> assertThat(error.message())
                .contains("binding as " + DemoDirectory.READER).contains("invalid credentials")
                .doesNotContain("wrong-secret").doesNotContain(DemoDirectory.SECRET));
        assertThat(stored(wrongSecret, ALICE).orphan()).isFalse();
        directory.close();
        assertThat(catalog.refresh(ALICE).orElseThrow().errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("cannot reach " + good.target()));
    }

    @Test
    void onlyTheApplicationsConfigurationMayNameADirectory() {
        Catalog catalog = catalog(directory.settings("acme", 0));
        Path file = write(dir.resolve("catalog-info.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata: {name: sneaky}
                spec: {type: ldap-org, target: acme}
                """);

        assertThatThrownBy(() -> catalog.register(LdapOrgLocationReader.location("acme"), Location.Origin.API))
                .isInstanceOf(LocationNotAllowedException.class);
        assertThat(catalog.register(fileLocation(file), Location.Origin.CONFIG).errors()).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("only the application's configuration may name"));
        assertThat(catalog.locations()).extracting(Location::spec).doesNotContain(new LocationSpec("ldap-org", "acme"));
    }
}
