package dev.portal.web;

import dev.portal.catalog.testing.NodeHarness;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the official, unmodified {@code @backstage/catalog-client} 1.16.2 (the harness in
 * {@code src/test/node}) against the catalog API on a random port, behind HTTP Basic, with the
 * fixture folder as the only allowed file root. Needs Node 20+ and npm (see {@link NodeHarness}).
 *
 * <p>A plain HTTP server on this machine serves the fixture folder, so that the harness also registers
 * a {@code url} location that is no git repository ({@code addLocation type=url}): its host is on the
 * API's allowed hosts and on the reading allow-list, plain http allowed.
 */
@SpringBootTest(classes = CatalogApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"portal.catalog.locations[0].target=${user.dir}/src/test/resources/compat/org.yaml",
                "portal.catalog.allowed-hosts=127.0.0.1",
                "portal.catalog.reading.allow[0].host=127.0.0.1",
                "portal.catalog.reading.allow[0].paths=/compat",
                "portal.catalog.reading.allow[0].http=true"})
class BackstageCatalogClientCompatibilityTests {

    private static final NodeHarness NODE = new NodeHarness("src/test/node", List.of("@backstage/catalog-client"));

    private static final Path FIXTURE = Path.of("src/test/resources/compat/catalog-info.yaml").toAbsolutePath();

    private static HttpServer files;

    @LocalServerPort
    int port;

    @BeforeAll
    static void serveTheFixtureFolderOverPlainHttp() throws IOException {
        files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        files.createContext("/compat/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring("/compat/".length());
            Path file = FIXTURE.getParent().resolve(name).normalize();
            if (!file.getParent().equals(FIXTURE.getParent()) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "application/yaml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        files.start();
    }

    @AfterAll
    static void stopServingFiles() {
        files.stop(0);
    }

    @Test
    void officialCatalogClientPassesEveryCheckOfTheHarness() throws Exception {
        NODE.install();
        int exit = NODE.run(List.of("node", "--test", "catalog-client.test.mjs"), Map.of(
                "PORTAL_BASE_URL", "http://127.0.0.1:" + port + "/api/catalog",
                "PORTAL_FIXTURE_FILE", FIXTURE.toString(),
                "PORTAL_BASIC_AUTH", CatalogApiTestApplication.USER + ":" + CatalogApiTestApplication.PASSWORD,
                "PORTAL_WAIT_MS", "20000",
                "PORTAL_URL_FIXTURE", "http://127.0.0.1:" + files.getAddress().getPort() + "/compat/url-catalog-info.yaml"),
                100);
        assertThat(exit).as("exit code of node --test catalog-client.test.mjs (its output is in the test log)").isZero();
    }
}
