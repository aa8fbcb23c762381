package dev.portal.catalog.ingest.discovery;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ConfiguredLocation;
import dev.portal.catalog.ingest.GitLocationReader;
import dev.portal.catalog.ingest.HostCredentials;
import dev.portal.catalog.ingest.HttpLocationReader;
import dev.portal.catalog.ingest.ReadingAllowList;
import dev.portal.catalog.ingest.UrlLocationReader;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.TestHttpServer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery against JGit's smart-HTTP server and a local fake of each host's REST API: repositories
 * with matching files become locations, and the ones that disappear orphan their entities.
 */
class DiscoveryIntegrationTests {

    private static final String TOKEN = "api-t0ken";

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    static Path root;

    static TestHttpServer server;
    static String base;

    @BeforeAll
    static void repositories() throws Exception {
        server = new TestHttpServer(root.resolve("git"));
        base = server.url();
        repository("acme/ledger.git", Map.of("catalog-info.yaml", component("ledger", "payments")));
        repository("acme/monorepo.git", Map.of("services/a/catalog-info.yaml", component("svc-a", "payments"),
                "services/b/catalog-info.yaml", component("svc-b", "payments"),
                "README.md", "not a descriptor"));
        repository("acme/docs.git", Map.of("README.md", "no catalog here"));
        repository("acme/people.git", Map.of("catalog-info.yaml", """
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: mallory}
                spec: {memberOf: [platform]}
                """));
        Git.init().setBare(true).setDirectory(root.resolve("git/acme/empty.git").toFile()).call().close();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void noToken() {
        server.requireAuthorization(null);
    }

    private static void repository(String name, Map<String, String> files) throws Exception {
        Path bare = root.resolve("git").resolve(name);
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        Path work = root.resolve("work").resolve(name);
        try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            for (var file : files.entrySet()) {
                Path path = work.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            git.add().addFilepattern(".").call();
            git.commit().setMessage("files").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
            git.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
        }
    }

    private static Catalog catalog(DiscoverySettings settings) {
        int max = 1 << 20;
        HostCredentials credentials = new HostCredentials(List.of(
                new HostCredentials.Entry("127.0.0.1", "portal", TOKEN, true)));
        return new Catalog(db.dsl(), CatalogSettings.defaults(), List.of(
                new UrlLocationReader(new GitLocationReader(max),
                        new HttpLocationReader(max, Duration.ofSeconds(5), ReadingAllowList.nothing())),
                new DiscoveryLocationReader(List.of(settings), Duration.ofSeconds(10), credentials, max)));
    }

    private static List<Catalog.Registration> discover(Catalog catalog, DiscoverySettings settings) {
        return catalog.syncConfigured(List.of(new ConfiguredLocation(DiscoveryLocationReader.location(settings.id()), false)));
    }

    private static StoredEntity stored(Catalog catalog, String ref) {
        return catalog.entities().byRef(EntityRef.parse(ref)).orElseThrow(() -> new AssertionError(ref + " is missing"));
    }

    @Test
    void everyListedRepositoryWithMatchingFilesBecomesALocation() {
        DiscoverySettings settings = new DiscoverySettings("acme", List.of(base + "/acme/ledger.git",
                base + "/acme/monorepo.git", base + "/acme/docs.git", base + "/acme/empty.git"), null, List.of(), null,
                "**/catalog-info.yaml");
        Catalog catalog = catalog(settings);

        Catalog.Registration registration = discover(catalog, settings).getFirst();

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).contains(EntityRef.parse("component:default/ledger"),
                EntityRef.parse("component:default/svc-a"), EntityRef.parse("component:default/svc-b"),
                EntityRef.parse("location:default/repo-acme-ledger"), EntityRef.parse("location:default/repo-acme-monorepo"));
        assertThat(catalog.entities().byRef(EntityRef.parse("location:default/repo-acme-docs"))).isEmpty();
        assertThat(stored(catalog, "component:default/svc-a").entity().annotation("backstage.io/managed-by-location"))
                .contains("url:" + base + "/acme/monorepo.git/-/blob/main/services/a/catalog-info.yaml");
    }

    @Test
    void aUrlPatternWithNamesAndARootCatalogPath() {
        DiscoverySettings settings = new DiscoverySettings("pattern", List.of(), base + "/acme/{name}.git",
                List.of("ledger", "monorepo"), null, "catalog-info.yaml");
        Catalog catalog = catalog(settings);

        Catalog.Registration registration = discover(catalog, settings).getFirst();

        assertThat(registration.entities()).contains(EntityRef.parse("component:default/ledger"))
                .doesNotContain(EntityRef.parse("component:default/svc-a"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "github, /api/v3/orgs/acme/repos?per_page=50&page=1, clone_url, Bearer " + TOKEN,
            "gitlab, /api/v4/groups/acme/projects?include_subgroups=true&per_page=50&page=1, http_url_to_repo, Bearer " + TOKEN,
            "gitea, /api/v1/orgs/acme/repos?limit=50&page=1, clone_url, token " + TOKEN})
    void theRepositoriesOfAnOrganizationListedThroughTheHostApi(String type, String path, String field, String authorization) {
        server.requireAuthorization(authorization);
        server.serve(path, "application/json", """
                [{"%1$s": "%2$s/acme/ledger.git", "archived": false},
                 {"%1$s": "%2$s/acme/monorepo.git", "archived": true},
                 {"%1$s": "https://elsewhere.example.com/acme/ledger.git"}]
                """.formatted(field, base));
        DiscoverySettings settings = new DiscoverySettings("org-" + type, List.of(), null, List.of(),
                new DiscoverySettings.Organization(type, base, null, "acme", true), "**/catalog-info.yaml");
        Catalog catalog = catalog(settings);

        Catalog.Registration registration = discover(catalog, settings).getFirst();

        assertThat(registration.errors()).isEmpty();
        assertThat(registration.entities()).contains(EntityRef.parse("component:default/ledger"))
                .doesNotContain(EntityRef.parse("component:default/svc-a"));
    }

    @Test
    void aRepositoryThatDisappearsOrphansItsEntities() {
        String path = "/api/v1/orgs/gone/repos?limit=50&page=1";
        server.serve(path, "application/json", "[{\"clone_url\": \"" + base + "/acme/ledger.git\"},"
                + " {\"clone_url\": \"" + base + "/acme/monorepo.git\"}]");
        DiscoverySettings settings = new DiscoverySettings("gone", List.of(), null, List.of(),
                new DiscoverySettings.Organization("gitea", base, null, "gone", true), "**/catalog-info.yaml");
        Catalog catalog = catalog(settings);
        discover(catalog, settings);
        assertThat(stored(catalog, "component:default/svc-a").orphan()).isFalse();

        server.serve(path, "application/json", "[{\"clone_url\": \"" + base + "/acme/ledger.git\"}]");
        var report = catalog.refresh(EntityRef.parse("location:default/repo-acme-ledger")).orElseThrow();

        assertThat(report.errors()).isEmpty();
        assertThat(stored(catalog, "component:default/svc-a").orphan()).isTrue();
        assertThat(stored(catalog, "location:default/repo-acme-monorepo").orphan()).isTrue();
        assertThat(stored(catalog, "component:default/ledger").orphan()).isFalse();
        assertThat(catalog.refresh(EntityRef.parse("location:default/repo-acme-ledger")).orElseThrow().unchanged()).isTrue();
    }

    @Test
    void discoveredRepositoriesMayNotDefinePeopleUnlessTrusted() {
        DiscoverySettings settings = new DiscoverySettings("people", List.of(base + "/acme/people.git"), null, List.of(),
                null, "catalog-info.yaml");
        Catalog catalog = catalog(settings);

        Catalog.Registration registration = discover(catalog, settings).getFirst();

        assertThat(registration.errors()).singleElement().satisfies(error -> assertThat(error.message())
                .contains("user:default/mallory").contains("trusted: false"));
        assertThat(catalog.entities().byRef(EntityRef.parse("user:default/mallory"))).isEmpty();
    }

    @Test
    void globsSpanFoldersOnlyWhereTheyMayAndMatchTheRootToo() {
        assertThat(new CatalogPathGlob("**/catalog-info.yaml").matches("catalog-info.yaml")).isTrue();
        assertThat(new CatalogPathGlob("/**/catalog-info.yaml").matches("a/b/catalog-info.yaml")).isTrue();
        assertThat(new CatalogPathGlob("services/*/catalog-info.yaml").matches("services/a/catalog-info.yaml")).isTrue();
        assertThat(new CatalogPathGlob("services/*/catalog-info.yaml").matches("services/a/b/catalog-info.yaml")).isFalse();
        assertThat(new CatalogPathGlob("catalog-info.yaml").matches("x/catalog-info.yaml")).isFalse();
        assertThat(new CatalogPathGlob("catalog-info.y?ml").matches("catalog-info.yaml")).isTrue();
    }
}
