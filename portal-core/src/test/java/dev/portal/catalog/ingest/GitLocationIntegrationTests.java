package dev.portal.catalog.ingest;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.orchestration.ProcessingReport;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.testing.CatalogDatabase;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** url locations read through JGit from real repositories: a bare repository pushed to from a clone. */
class GitLocationIntegrationTests {

    private static final EntityRef SVC = EntityRef.parse("component:default/svc");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    private Catalog catalog;
    private Git work;
    private String remote;

    @TempDir
    Path dir;

    @BeforeEach
    void repository() throws Exception {
        catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
        Path bare = dir.resolve("svc.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        remote = bare.toUri().toString().replaceAll("/$", "");
        work = Git.init().setInitialBranch("main").setDirectory(dir.resolve("work").toFile()).call();
        work.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(remote)).call();
    }

    @AfterEach
    void closeRepository() {
        work.close();
    }

    private RevCommit push(String path, String content) throws Exception {
        Path file = dir.resolve("work").resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        work.add().addFilepattern(path).call();
        RevCommit commit = work.commit().setMessage("change " + path).setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").call();
        work.push().setRemote("origin").setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/main:refs/heads/main")).call();
        return commit;
    }

    private LocationSpec location(String path) {
        return new LocationSpec(LocationSpec.URL, remote + "/-/blob/main/" + path);
    }

    private StoredEntity stored(EntityRef ref) {
        return catalog.entities().byRef(ref).orElseThrow();
    }

    @Test
    void readsEntitiesFromABranchOfAGitRepository() throws Exception {
        push("catalog-info.yaml", component("svc", "team-a") + "---\n" + group("team-a"));

        Catalog.Registration registration = catalog.register(location("catalog-info.yaml"), Location.Origin.CONFIG);

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).contains(SVC, EntityRef.parse("group:default/team-a"));
        assertThat(stored(SVC).entity().annotation(Entity.MANAGED_BY_LOCATION))
                .contains("url:" + remote + "/-/blob/main/catalog-info.yaml");
    }

    @Test
    void aNewCommitIsPickedUpAndAnUnchangedBranchIsNotReadAgain() throws Exception {
        push("catalog-info.yaml", component("svc", "team-a"));
        catalog.register(location("catalog-info.yaml"), Location.Origin.API);
        String etag = stored(SVC).etag();

        ProcessingReport unchanged = catalog.refresh(SVC).orElseThrow();
        assertThat(unchanged.unchanged()).isTrue();

        push("catalog-info.yaml", component("svc", "team-b"));
        ProcessingReport changed = catalog.refresh(SVC).orElseThrow();

        assertThat(changed.unchanged()).isFalse();
        assertThat(changed.updated()).isEqualTo(1);
        assertThat(stored(SVC).etag()).isNotEqualTo(etag);
        assertThat(stored(SVC).entity().spec().path("owner").asText()).isEqualTo("team-b");
    }

    @Test
    void nestedTargetsResolveInsideTheSameRepositoryAndBranch() throws Exception {
        push("services/svc.yaml", component("svc", "team-a"));
        push("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: repo-root
                spec:
                  targets: [./services/svc.yaml]
                """);

        Catalog.Registration registration = catalog.register(location("catalog-info.yaml"), Location.Origin.API);

        assertThat(registration.errors()).isEmpty();
        assertThat(stored(SVC).entity().annotation(Entity.MANAGED_BY_LOCATION))
                .contains("url:" + remote + "/-/blob/main/services/svc.yaml");
    }

    @Test
    void aLocationReadFromGitMayNotPointAtFilesOnTheServer() throws Exception {
        push("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: Location
                metadata:
                  name: sneaky
                spec:
                  type: file
                  target: /etc/passwd
                """);

        Catalog.Registration registration = catalog.register(location("catalog-info.yaml"), Location.Origin.API);

        assertThat(registration.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("may not point at files on this server"));
        assertThat(catalog.locations()).hasSize(1);
    }

    @Test
    void aMissingBranchOrFileIsReportedOnTheLocation() throws Exception {
        push("catalog-info.yaml", component("svc", "team-a"));

        Catalog.Registration noBranch = catalog.register(
                new LocationSpec(LocationSpec.URL, remote + "/-/blob/release/catalog-info.yaml"), Location.Origin.API);
        Catalog.Registration noFile = catalog.register(location("nope.yaml"), Location.Origin.API);

        assertThat(noBranch.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("no branch or tag 'release'"));
        assertThat(noFile.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("no file 'nope.yaml'"));
    }

    @Test
    void targetsThatAreNotGitFileUrlsAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> GitTarget.parse("https://example.com/catalog-info.yaml"))
                .hasMessageContaining("<repository URL>/-/blob/<branch>/<path");
        assertThatThrownBy(() -> GitTarget.parse(remote + "/-/blob/main/../../etc/passwd"))
                .hasMessageContaining("leaves the repository");
    }

    @Test
    void aFileUrlWithAHostIsReportedOnTheLocationNotThrownFromJGit() throws Exception {
        push("catalog-info.yaml", component("svc", "team-a"));
        String withHost = remote.replaceFirst("^file:/+", "file://localhost/") + "/-/blob/main/catalog-info.yaml";

        assertThatThrownBy(() -> GitTarget.parse(withHost)).hasMessageContaining("file:///path");
        Catalog.Registration registration = catalog.register(new LocationSpec(LocationSpec.URL, withHost),
                Location.Origin.CONFIG);

        assertThat(registration.errors()).singleElement().satisfies(error ->
                assertThat(error.message()).contains("names a host in a file: URL"));
    }
}
