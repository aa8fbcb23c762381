package dev.portal.catalog.ingest;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.TestHttpServer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
 * The URL shapes read for real: bare repositories behind JGit's smart-HTTP server, laid out where each
 * host's clone URL puts them, each with a branch whose name has slashes; a repository that wants
 * credentials gets them from configuration.
 */
class GitUrlShapesIntegrationTests {

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
        // one repository per host layout; each has main and feature/x, catalog-info.yaml at the root and in services/
        for (String repository : List.of("acme/svc.git", "scm/acme/svc.git", "org/project/_git/svc.git", "gerrit/svc.git",
                "private/svc.git")) {
            repository(root.resolve("git").resolve(repository), repository.replaceAll("[^a-z]", "-"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void repository(Path bare, String name) throws Exception {
        Files.createDirectories(bare);
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        Path work = root.resolve("work").resolve(name);
        try (Git git = Git.init().setInitialBranch("main").setDirectory(work.toFile()).call()) {
            git.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
            commit(git, work, "catalog-info.yaml", component(name + "-main", "team"));
            git.push().setRemote("origin").setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
            git.checkout().setCreateBranch(true).setName("feature/x").call();
            commit(git, work, "services/catalog-info.yaml", component(name + "-feature", "team"));
            git.push().setRemote("origin").setRefSpecs(new RefSpec("refs/heads/feature/x:refs/heads/feature/x")).call();
        }
    }

    private static void commit(Git git, Path work, String path, String content) throws Exception {
        Path file = work.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        git.add().addFilepattern(path).call();
        git.commit().setMessage("add " + path).setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
    }

    private static Catalog catalog(HostCredentials credentials) {
        int max = CatalogSettings.defaults().parserLimits().maxBytes();
        return new Catalog(db.dsl(), CatalogSettings.defaults().withApiLocationPolicy(
                LocationPolicy.fenced(List.of(), List.of("127.0.0.1"))),
                List.of(new UrlLocationReader(new GitLocationReader(max, Duration.ofSeconds(20), credentials),
                        new HttpLocationReader(max, Duration.ofSeconds(20), ReadingAllowList.nothing()))));
    }

    @Test
    void readsEveryHostShapeFromARealSmartHttpServerThroughTheApiFence() {
        Catalog catalog = catalog(HostCredentials.none());
        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put(base + "/acme/svc/blob/feature/x/services/catalog-info.yaml", "acme-svc-git-feature");
        shapes.put(base + "/acme/svc/tree/feature/x/services", "acme-svc-git-feature");
        shapes.put(base + "/acme/svc/raw/main/catalog-info.yaml", "acme-svc-git-main");
        shapes.put(base + "/acme/svc/src/branch/feature/x/services/catalog-info.yaml", "acme-svc-git-feature");
        shapes.put(base + "/acme/svc.git/-/blob/feature/x/services/catalog-info.yaml", "acme-svc-git-feature");
        shapes.put(base + "/acme/svc.git", "acme-svc-git-main");
        shapes.put(base + "/projects/ACME/repos/svc/browse/services/catalog-info.yaml?at=refs%2Fheads%2Ffeature%2Fx",
                "scm-acme-svc-git-feature");
        shapes.put(base + "/org/project/_git/svc?path=/services/catalog-info.yaml&version=GBfeature/x",
                "org-project--git-svc-git-feature");
        shapes.put(base + "/gerrit/svc/+/refs/heads/feature/x/services/catalog-info.yaml", "gerrit-svc-git-feature");
        shapes.forEach((url, entity) -> {
            // each shape on its own: the same file through two shapes is one entity claimed twice
            dev.portal.catalog.testing.CatalogTestSupport.truncate(db.dsl());
            Catalog.Registration registration = catalog.register(new LocationSpec(LocationSpec.URL, url), Location.Origin.API);

            assertThat(registration.errors()).as(url).isEmpty();
            assertThat(registration.entities()).as(url).contains(EntityRef.parse("component:default/" + entity));
        });
    }

    @Test
    void readingCredentialsComeFromConfigurationPerHost() {
        server.requireBasic("reader", "t0ken");
        try {
            String url = base + "/private/svc/blob/main/catalog-info.yaml";
            Catalog anonymous = catalog(HostCredentials.none());
            Catalog.Registration refused = anonymous.register(new LocationSpec(LocationSpec.URL, url), Location.Origin.CONFIG);
            assertThat(refused.errors()).singleElement().satisfies(error ->
                    assertThat(error.message()).contains("cannot reach").doesNotContain("t0ken"));

            Catalog withToken = catalog(new HostCredentials(List.of(
                    new HostCredentials.Entry("127.0.0.1:" + server.port(), "reader", "t0ken", true))));
            Catalog.Registration read = withToken.register(new LocationSpec(LocationSpec.URL, url), Location.Origin.CONFIG);
            assertThat(read.errors()).isEmpty();
            assertThat(read.entities()).contains(EntityRef.parse("component:default/private-svc-git-main"));
        } finally {
            server.requireBasic(null, null);
        }
    }

    @Test
    void credentialsAreNotSentOverPlainHttpUnlessAllowed() {
        HostCredentials https = new HostCredentials(List.of(new HostCredentials.Entry("127.0.0.1", "u", "p", false)));

        assertThat(https.forRepository(base + "/acme/svc.git")).isNull();
        assertThat(https.forRepository("https://127.0.0.1/acme/svc.git")).isNotNull();
        assertThat(https.forRepository("https://other.example.com/acme/svc.git")).isNull();
    }
}
