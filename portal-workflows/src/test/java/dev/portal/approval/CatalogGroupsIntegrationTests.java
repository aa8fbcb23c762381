package dev.portal.approval;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ConfiguredLocation;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.CatalogTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.portal.catalog.testing.CatalogTestSupport.fileLocation;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Membership is what the trusted sources say now: orphaned users and groups confer nothing. */
class CatalogGroupsIntegrationTests {

    private static final EntityRef ALICE = EntityRef.parse("user:default/alice");
    private static final EntityRef PAYMENTS = EntityRef.parse("group:default/payments");
    private static final EntityRef ENGINEERING = EntityRef.parse("group:default/engineering");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    Path dir;

    private Catalog catalog;
    private Path org;

    @BeforeEach
    void organization() {
        CatalogTestSupport.truncate(db.dsl());
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
        org = write(dir.resolve("org.yaml"), user("alice") + "---\n" + group("payments", "engineering") + "---\n"
                + group("engineering", null));
        catalog.syncConfigured(List.of(new ConfiguredLocation(fileLocation(org), true)));
    }

    private static String user(String name) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: %s}
                spec: {memberOf: [payments]}
                """.formatted(name);
    }

    private static String group(String name, String parent) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: %s}
                spec: {type: team, children: []%s}
                """.formatted(name, parent == null ? "" : ", parent: " + parent);
    }

    @Test
    void aUserBelongsToItsGroupsAndWithNestingToTheirAncestors() {
        assertThat(new CatalogGroups(catalog.entities(), false).groupsOf(ALICE)).containsExactly(PAYMENTS);
        assertThat(new CatalogGroups(catalog.entities(), true).groupsOf(ALICE)).containsExactly(PAYMENTS, ENGINEERING);
    }

    @Test
    void aUserTheDirectoryNoLongerListsBelongsToNoGroup() throws Exception {
        Files.writeString(org, group("payments", "engineering") + "---\n" + group("engineering", null));
        catalog.refresh(PAYMENTS);

        assertThat(catalog.entities().byRef(ALICE).orElseThrow().orphan()).isTrue();
        assertThat(new CatalogGroups(catalog.entities(), true).groupsOf(ALICE)).isEmpty();
    }

    @Test
    void aGroupTheDirectoryNoLongerListsHasNoMembersAndNoLongerLeadsToItsParent() throws Exception {
        Files.writeString(org, user("alice") + "---\n" + group("engineering", null));
        catalog.refresh(ALICE);

        assertThat(catalog.entities().byRef(PAYMENTS).orElseThrow().orphan()).isTrue();
        assertThat(new CatalogGroups(catalog.entities(), true).groupsOf(ALICE)).isEmpty();
    }
}
