package dev.portal.catalog.orchestration;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.ingest.FileLocationReader;
import dev.portal.catalog.ingest.GitLocationReader;
import dev.portal.catalog.ingest.HttpLocationReader;
import dev.portal.catalog.ingest.ParserLimits;
import dev.portal.catalog.ingest.ReadingAllowList;
import dev.portal.catalog.ingest.UrlLocationReader;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.testing.CatalogDatabase;
import dev.portal.catalog.testing.TestHttpServer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.portal.catalog.testing.CatalogTestSupport.fileLocation;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code $text}, {@code $json} and {@code $yaml} in descriptors, from files, plain HTTP and git. */
class SubstitutionsIntegrationTests {

    private static final EntityRef API = EntityRef.parse("api:default/payments-api");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    Path dir;

    TestHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestHttpServer(dir.resolve("git"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Catalog catalog(ParserLimits limits) {
        int max = limits.maxBytes();
        CatalogSettings settings = CatalogSettings.defaults().withParserLimits(limits)
                .withApiLocationPolicy(LocationPolicy.fenced(List.of(dir.resolve("allowed")), List.of("127.0.0.1")));
        ReadingAllowList allow = new ReadingAllowList(List.of(new ReadingAllowList.Entry("127.0.0.1", List.of(), true)));
        return new Catalog(db.dsl(), settings, List.of(new FileLocationReader(max), new UrlLocationReader(
                new GitLocationReader(max), new HttpLocationReader(max, Duration.ofSeconds(5), allow))));
    }

    private Catalog catalog() {
        return catalog(ParserLimits.defaults());
    }

    private static String api(String definition) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: API
                metadata:
                  name: payments-api
                spec:
                  type: openapi
                  lifecycle: production
                  owner: payments
                  definition: %s
                """.formatted(definition);
    }

    private StoredEntity stored(Catalog catalog) {
        return catalog.entities().byRef(API).orElseThrow();
    }

    @Test
    void textJsonAndYamlFromFilesNextToTheDescriptor() {
        write(dir.resolve("allowed/openapi.yaml"), "openapi: 3.0.3\ninfo: {title: Payments}\n");
        write(dir.resolve("allowed/links.json"), "[{\"url\": \"https://runbook.example.com\", \"title\": \"Runbook\"}]");
        write(dir.resolve("allowed/labels.yaml"), "team: payments\ntier: \"1\"\n");
        Path descriptor = write(dir.resolve("allowed/catalog-info.yaml"), """
                apiVersion: backstage.io/v1alpha1
                kind: API
                metadata:
                  name: payments-api
                  links: {$json: ./links.json}
                  labels: {$yaml: labels.yaml}
                spec:
                  type: openapi
                  lifecycle: production
                  owner: payments
                  definition: {$text: ./openapi.yaml}
                """);
        Catalog catalog = catalog();

        Catalog.Registration registration = catalog.register(fileLocation(descriptor), Location.Origin.API);

        assertThat(registration.errors()).isEmpty();
        StoredEntity api = stored(catalog);
        assertThat(api.entity().spec().path("definition").asText()).isEqualTo("openapi: 3.0.3\ninfo: {title: Payments}\n");
        assertThat(api.entity().metadata().path("links").get(0).path("title").asText()).isEqualTo("Runbook");
        assertThat(api.entity().metadata().path("labels").path("tier").asText()).isEqualTo("1");
    }

    @Test
    void inAGitLocationASubstitutionIsABlobOfTheCommitAlreadyFetched() throws Exception {
        Path bare = dir.resolve("git/acme/payments.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        try (Git work = Git.init().setInitialBranch("main").setDirectory(dir.resolve("work").toFile()).call()) {
            write(dir.resolve("work/api/openapi.yaml"), "openapi: 3.1.0\n");
            write(dir.resolve("work/api/catalog-info.yaml"), api("{$text: ./openapi.yaml}"));
            work.add().addFilepattern(".").call();
            work.commit().setMessage("api").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com").call();
            work.push().setRemote(bare.toUri().toString()).setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
        }
        Catalog catalog = catalog();

        Catalog.Registration registration = catalog.register(new LocationSpec(LocationSpec.URL,
                server.url() + "/acme/payments/blob/main/api/catalog-info.yaml"), Location.Origin.API);
        int withSubstitution = server.requests().size();
        catalog.preview(new LocationSpec(LocationSpec.URL, server.url() + "/acme/payments/blob/main/api/openapi.yaml"),
                Location.Origin.API);

        assertThat(registration.errors()).isEmpty();
        assertThat(stored(catalog).entity().spec().path("definition").asText()).isEqualTo("openapi: 3.1.0\n");
        // as many requests as reading one file without any: the sibling came out of the commit already there
        assertThat(server.requests().size() - withSubstitution).isEqualTo(withSubstitution);
    }

    @Test
    void aChangeToASubstitutedHttpFileIsPickedUpAlthoughTheDescriptorIsUnchanged() {
        server.serve("/api/catalog-info.yaml", new TestHttpServer.Response(200, "application/yaml",
                api("{$text: ./openapi.yaml}").getBytes(), java.util.Map.of("ETag", "\"same\"")));
        server.serve("/api/openapi.yaml", "application/yaml", "openapi: 3.0.0\n");
        Catalog catalog = catalog();
        catalog.register(new LocationSpec(LocationSpec.URL, server.url() + "/api/catalog-info.yaml"), Location.Origin.CONFIG);
        assertThat(catalog.refresh(API).orElseThrow().unchanged()).isTrue();

        server.serve("/api/openapi.yaml", "application/yaml", "openapi: 3.1.0\n");
        ProcessingReport changed = catalog.refresh(API).orElseThrow();

        assertThat(changed.unchanged()).isFalse();
        assertThat(stored(catalog).entity().spec().path("definition").asText()).isEqualTo("openapi: 3.1.0\n");
    }

    @Test
    void substitutionsPassTheFencesOfTheirRegistration() {
        write(dir.resolve("outside/secret.txt"), "s3cret");
        server.serve("/api/catalog-info.yaml", "application/yaml", api("{$text: file:///etc/hostname}"));
        Path fromFile = write(dir.resolve("allowed/catalog-info.yaml"), api("{$text: ../outside/secret.txt}"));
        Path toOtherHost = write(dir.resolve("allowed/other.yaml"), api("{$text: 'https://other.example.com/x.yaml'}"));
        Catalog catalog = catalog();

        List<ProcessingError> outsideRoots = catalog.register(fileLocation(fromFile), Location.Origin.API).errors();
        List<ProcessingError> fromUrl = catalog.register(new LocationSpec(LocationSpec.URL,
                server.url() + "/api/catalog-info.yaml"), Location.Origin.API).errors();
        List<ProcessingError> otherHost = catalog.register(fileLocation(toOtherHost), Location.Origin.API).errors();

        assertThat(outsideRoots).singleElement().satisfies(e -> assertThat(e.message())
                .contains("outside the allowed file roots").doesNotContain("s3cret"));
        assertThat(fromUrl).singleElement().satisfies(e -> assertThat(e.message()).contains("may name only other URLs"));
        assertThat(otherHost).singleElement().satisfies(e -> assertThat(e.message())
                .contains("portal.catalog.allowed-hosts"));
        assertThat(catalog.entities().byRef(API)).isEmpty();
    }

    @Test
    void whatSubstitutionsBringInCountsAgainstTheParserLimits() {
        write(dir.resolve("allowed/big.txt"), "x".repeat(3_900));
        write(dir.resolve("allowed/deep.json"), "[".repeat(20) + "]".repeat(20));
        Path big = write(dir.resolve("allowed/big.yaml"), api("{$text: ./big.txt}"));
        Path deep = write(dir.resolve("allowed/deep.yaml"), api("{$json: ./deep.json}"));
        Path many = write(dir.resolve("allowed/many.yaml"), api("[{$text: ./big.txt}, {$text: ./big.txt}]"));
        ParserLimits limits = ParserLimits.defaults().withMaxBytes(4_000).withMaxDepth(16).withMaxSubstitutions(1);

        assertThat(catalog(limits).register(fileLocation(big), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("past 4000 bytes")
                        .contains("ParserLimits.maxBytes"));
        assertThat(catalog(limits.withMaxBytes(100_000)).register(fileLocation(deep), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("ParserLimits.maxDepth"));
        assertThat(catalog(limits.withMaxBytes(100_000)).register(fileLocation(many), Location.Origin.CONFIG).errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("ParserLimits.maxSubstitutions")
                        .contains("spec.definition[1]: $text ./big.txt"));
    }

    @Test
    void aBrokenSubstitutionKeepsTheEntityStoredBeforeAndNamesTheFieldNotTheContent() {
        Path descriptor = write(dir.resolve("allowed/catalog-info.yaml"), api("{$text: ./openapi.yaml}"));
        write(dir.resolve("allowed/openapi.yaml"), "openapi: 3.0.0\n");
        Catalog catalog = catalog();
        catalog.register(fileLocation(descriptor), Location.Origin.CONFIG);

        write(dir.resolve("allowed/secret.txt"), "password: [hunter2");
        write(descriptor, api("{$yaml: ./secret.txt}"));
        List<ProcessingError> errors = catalog.refresh(API).orElseThrow().errors();

        assertThat(errors).singleElement().satisfies(e -> assertThat(e.message())
                .contains("spec.definition").contains("secret.txt").doesNotContain("hunter2"));
        assertThat(stored(catalog).entity().spec().path("definition").asText()).isEqualTo("openapi: 3.0.0\n");
        assertThat(Files.exists(descriptor)).isTrue();
    }
}
