package dev.portal.web;

import dev.portal.catalog.testing.NodeHarness;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the official, unmodified {@code @backstage/catalog-client} 1.16.2 (the harness in
 * {@code src/test/node}) against the catalog API on a random port, behind HTTP Basic, with the
 * fixture folder as the only allowed file root. Needs Node 20+ and npm (see {@link NodeHarness}).
 */
@SpringBootTest(classes = CatalogApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "portal.catalog.locations[0].target=${user.dir}/src/test/resources/compat/org.yaml")
class BackstageCatalogClientCompatibilityTests {

    private static final NodeHarness NODE = new NodeHarness("src/test/node", List.of("@backstage/catalog-client"));

    private static final Path FIXTURE = Path.of("src/test/resources/compat/catalog-info.yaml").toAbsolutePath();

    @LocalServerPort
    int port;

    @Test
    void officialCatalogClientPassesEveryCheckOfTheHarness() throws Exception {
        NODE.install();
        int exit = NODE.run(List.of("node", "--test", "catalog-client.test.mjs"), Map.of(
                "PORTAL_BASE_URL", "http://127.0.0.1:" + port + "/api/catalog",
                "PORTAL_FIXTURE_FILE", FIXTURE.toString(),
                "PORTAL_BASIC_AUTH", CatalogApiTestApplication.USER + ":" + CatalogApiTestApplication.PASSWORD,
                "PORTAL_WAIT_MS", "20000"), 100);
        assertThat(exit).as("exit code of node --test catalog-client.test.mjs (its output is in the test log)").isZero();
    }
}
