package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.web.CatalogHttp.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog API over real HTTP on a random port, against PostgreSQL: Backstage's status codes
 * and error bodies for every kind of bad request, and the behaviour the checklist in
 * {@code docs/rest-api.md} asks for beyond the generated signatures.
 */
@SpringBootTest(classes = CatalogApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "portal.catalog.locations[0].target=${user.dir}/src/test/resources/web/org.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogApiIntegrationTests {

    private static final String FIXTURE = Path.of("src/test/resources/web/catalog-info.yaml").toAbsolutePath().toString();

    @LocalServerPort
    int port;

    CatalogHttp anonymous;
    CatalogHttp tester;
    String locationId;

    @BeforeAll
    void registerFixture() {
        anonymous = CatalogHttp.anonymous(port);
        tester = anonymous.as(CatalogApiTestApplication.USER, CatalogApiTestApplication.PASSWORD);
        Answer answer = tester.post("/locations?onConflict=refresh", location("file", FIXTURE));
        assertThat(answer.status()).isEqualTo(201);
        locationId = answer.body().path("location").path("id").asText();
    }

    @Test
    void servesTheContractItImplements() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + PortalApiSpecController.PATH)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/yaml"));
        assertThat(response.body()).startsWith("openapi: 3.0.3")
                .isEqualTo(java.nio.file.Files.readString(Path.of("../openapi/portal-api.yaml")));
    }

    // --- bad requests: status and Backstage error body

    @Test
    void rejectsAFilterConditionWithoutAKey() {
        assertError(anonymous.get("/entities?filter=" + enc("=component")), 400, "InputError");
    }

    @Test
    void rejectsACursorItDidNotIssue() {
        assertError(anonymous.get("/entities/by-query?cursor=bm90LWEtY3Vyc29y"), 400, "InputError");
        assertError(anonymous.post("/entities/by-query", "{\"cursor\":\"%%%\"}"), 400, "InputError");
    }

    @Test
    void rejectsALimitThatIsNotANumber() {
        assertError(anonymous.get("/entities?limit=ten"), 400, "InputError");
    }

    @Test
    void rejectsANegativeLimit() {
        assertError(anonymous.get("/entities/by-query?limit=-1"), 400, "InputError");
        assertError(anonymous.get("/entities?limit=-1"), 400, "InputError");
    }

    @Test
    void rejectsMalformedJson() {
        Answer answer = anonymous.post("/entities/by-refs", "{\"entityRefs\": [");
        assertError(answer, 400, "InputError");
        assertThat(answer.body().path("request").path("url").asText()).isEqualTo("/entities/by-refs");
    }

    @Test
    void rejectsAnInvalidEntityRef() {
        assertError(anonymous.post("/entities/by-refs", "{\"entityRefs\":[\"web-service\"]}"), 400, "InputError");
    }

    @Test
    void answersValidateEntityWithTheFieldAndRuleOfEachProblem() {
        Answer answer = anonymous.post("/validate-entity", """
                {"location":"url:https://example.com/catalog-info.yaml",
                 "entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"bad name!"},
                           "spec":{"type":"service","lifecycle":"production","owner":"team-a"}}}""");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode errors = answer.body().path("errors");
        assertThat(errors.size()).isPositive();
        assertThat(errors.get(0).path("name").asText()).isEqualTo("InputError");
        assertThat(errors.get(0).path("message").asText()).contains("metadata.name", "bad name!");
    }

    @Test
    void acceptsAValidEntityWithAnEmpty200() {
        Answer answer = anonymous.post("/validate-entity", """
                {"location":"url:https://example.com/catalog-info.yaml",
                 "entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"fine"},
                           "spec":{"type":"service","lifecycle":"production","owner":"team-a"}}}""");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.raw().body()).isEmpty();
    }

    @Test
    void rejectsAValidationLocationThatIsNotALocationRef() {
        assertError(anonymous.post("/validate-entity", """
                {"location":"https://example.com/catalog-info.yaml","entity":{"kind":"Component"}}"""),
                400, "InputError");
    }

    @Test
    void refusesABodyLargerThanTheLimitByContentLength() {
        Answer answer = anonymous.post("/entities/by-refs", bigRefsBody());
        assertError(answer, 413, "PayloadTooLargeError");
        assertThat(answer.errorMessage()).contains("portal.catalog.api.max-request-size");
    }

    @Test
    void refusesAChunkedBodyOnceItGrowsPastTheLimit() {
        byte[] body = bigRefsBody().getBytes(StandardCharsets.UTF_8);
        Answer answer = anonymous.send(anonymous.request("/entities/by-refs").POST(
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(answer.raw().request().headers().firstValue("Content-Length")).isEmpty();
        assertError(answer, 413, "PayloadTooLargeError");
    }

    @Test
    void answersNotFoundForAnUnknownLocationId() {
        assertError(anonymous.get("/locations/00000000-0000-4000-8000-000000000000"), 404, "NotFoundError");
        assertError(anonymous.get("/locations/not-a-uuid"), 404, "NotFoundError");
        assertError(tester.delete("/locations/00000000-0000-4000-8000-000000000000"), 404, "NotFoundError");
    }

    @Test
    void answersNoContentForDeletingAnUnknownUid() {
        Answer answer = tester.delete("/entities/by-uid/00000000-0000-4000-8000-000000000000");
        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.raw().body()).isEmpty();
    }

    @Test
    void requiresAnAuthenticatedCallerToWrite() {
        assertError(anonymous.post("/refresh", "{\"entityRef\":\"component:default/web-service\"}"), 401,
                "AuthenticationError");
        assertError(anonymous.post("/locations", location("file", FIXTURE)), 401, "AuthenticationError");
        assertError(anonymous.delete("/entities/by-uid/00000000-0000-4000-8000-000000000000"), 401,
                "AuthenticationError");
        assertError(anonymous.delete("/locations/" + locationId), 401, "AuthenticationError");
        assertError(anonymous.post("/analyze-location", "{\"location\":" + location("file", FIXTURE) + "}"), 401,
                "AuthenticationError");
    }

    @Test
    void answersBadCredentialsWithTheBackstageBody() {
        assertError(anonymous.as(CatalogApiTestApplication.USER, "wrong").get("/entities"), 401,
                "AuthenticationError");
    }

    @Test
    void refusesALocationOutsideTheAllowedRootsNamingTheProperty() {
        Answer answer = tester.post("/locations", location("file", "/etc/passwd"));
        assertError(answer, 403, "NotAllowedError");
        assertThat(answer.errorMessage()).contains("portal.catalog.allowed-file-roots");
        assertError(tester.post("/locations?dryRun=true", location("file", "/etc/passwd")), 403, "NotAllowedError");
    }

    @Test
    void rejectsUnsupportedLocationTypes() {
        assertError(tester.post("/locations", location("github", "x")), 400, "InputError");
    }

    @Test
    void refusesADuplicateLocationWithConflictUnlessAskedToRefresh() {
        assertError(tester.post("/locations", location("file", FIXTURE)), 409, "ConflictError");
        Answer refreshed = tester.post("/locations?onConflict=refresh", location("file", FIXTURE));
        assertThat(refreshed.status()).isEqualTo(201);
        assertThat(refreshed.body().path("location").path("id").asText()).isEqualTo(locationId);
        assertThat(refreshed.body().path("entities").isEmpty()).isTrue();
    }

    @Test
    void answersNotFoundWithABodyForAnUnknownEntity() {
        Answer answer = anonymous.get("/entities/by-name/component/default/nope");
        assertError(answer, 404, "NotFoundError");
        assertThat(answer.body().path("request").path("method").asText()).isEqualTo("GET");
        assertThat(answer.body().path("request").path("url").asText()).isEqualTo("/entities/by-name/component/default/nope");
        assertError(anonymous.get("/entities/by-name/component/default/nope/ancestry"), 404, "NotFoundError");
        assertError(anonymous.get("/entities/by-uid/not-a-uid"), 404, "NotFoundError");
        assertError(anonymous.get("/locations/by-entity/component/default/nope"), 404, "NotFoundError");
        assertError(tester.post("/refresh", "{\"entityRef\":\"component:default/nope\"}"), 404, "NotFoundError");
    }

    @Test
    void answersWrongMethodsUnknownPathsAndMediaTypesWithTheBackstageBody() {
        assertError(anonymous.send("PUT", "/entities", HttpRequest.BodyPublishers.ofString("{}")), 405,
                "MethodNotAllowedError");
        assertError(anonymous.get("/no-such-endpoint"), 404, "NotFoundError");
        assertError(anonymous.send(anonymous.request("/entities/by-refs").setHeader("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("x"))), 415, "UnsupportedMediaTypeError");
    }

    // --- wire behaviour

    @Test
    void keepsOneFilterParameterAsOneSetOfAndedConditions() {
        Answer answer = anonymous.get("/entities?fields=metadata.name&filter="
                + enc("metadata.labels.probe-run=web,spec.type=service,spec.lifecycle=production"));
        assertThat(names(answer.body())).containsExactly("web-service");
    }

    @Test
    void keepsOneOrderFieldParameterWhole() {
        Answer answer = anonymous.get("/entities/by-query?fields=metadata.name&filter=" + enc("metadata.labels.probe-run=web")
                + "&orderField=" + enc("metadata.name,desc"));
        assertThat(names(answer.body().path("items"))).containsExactly("web-tool", "web-team", "web-site", "web-service");
        assertThat(answer.body().path("totalItems").asInt()).isEqualTo(4);
        assertThat(answer.body().path("pageInfo").has("prevCursor")).isFalse();
    }

    @Test
    void treatsAnEmptyByQueryBodyAsEveryEntity() {
        Answer answer = anonymous.send(anonymous.request("/entities/by-query?").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("totalItems").asInt()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void servesEntitiesWithTypeAndTargetRefRelations() {
        JsonNode entity = anonymous.get("/entities/by-name/Component/DEFAULT/Web-Service").body();
        assertThat(entity.path("metadata").path("uid").isTextual()).isTrue();
        assertThat(entity.path("relations").toString()).contains("{\"type\":\"ownedBy\",\"targetRef\":\"group:default/web-team\"}");
    }

    @Test
    void addsALinkHeaderWhenGetEntitiesReturnsAFullPage() {
        Answer answer = anonymous.get("/entities?limit=2&filter=" + enc("metadata.labels.probe-run=web"));
        assertThat(answer.body().size()).isEqualTo(2);
        String link = answer.raw().headers().firstValue("Link").orElseThrow();
        assertThat(link).contains("after=").endsWith("; rel=\"next\"");
        String next = link.substring(link.indexOf("/entities"), link.indexOf('>'));
        // Without order, GET /entities sorts by entity ref: components first, then the group.
        assertThat(names(anonymous.get(next).body())).containsExactly("web-tool", "web-team");
    }

    @Test
    void dryRunListsTheGeneratedLocationEntityFirstAndStoresNothing() {
        Path other = Path.of("src/test/resources/compat/catalog-info.yaml").toAbsolutePath();
        Answer answer = tester.post("/locations?dryRun=true", location("file", other.toString()));
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body().path("location").path("id").asText()).isEqualTo("file:" + other);
        assertThat(answer.body().path("exists").asBoolean()).isFalse();
        assertThat(answer.body().path("entities").get(0).path("kind").asText()).isEqualTo("Location");
        assertThat(answer.body().path("entities").size()).as("the Location entity and the file's 13").isEqualTo(14);
        assertThat(anonymous.get("/locations").body().toString()).doesNotContain(other.toString());
    }

    @Test
    void aLocationSaysWhyPartOfItsFileDidNotAppearAndAnalyzeLocationListsTheBrokenDocument() {
        String broken = Path.of("src/test/resources/web/broken.yaml").toAbsolutePath().toString();

        Answer registered = tester.post("/locations", location("file", broken));

        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().path("location").path("status").path("items")).singleElement().satisfies(item -> {
            assertThat(item.path("type").asText()).isEqualTo("backstage.io/catalog-processing");
            assertThat(item.path("level").asText()).isEqualTo("error");
            assertThat(item.path("document").asInt()).isEqualTo(2);
            assertThat(item.path("message").asText()).contains("document 2", "duplicate key 'name'");
        });
        String id = registered.body().path("location").path("id").asText();
        assertThat(anonymous.get("/locations/" + id).body().path("status").path("items")).hasSize(1);
        assertThat(anonymous.get("/locations").body()).anySatisfy(envelope -> {
            assertThat(envelope.path("data").path("id").asText()).isEqualTo(id);
            assertThat(envelope.path("data").path("status").path("items")).hasSize(1);
        });
        assertThat(anonymous.get("/entities/by-name/component/default/broken-neighbour").status()).isEqualTo(200);
        assertThat(anonymous.get("/entities/by-name/component/default/broken-neighbour").body().has("status"))
                .as("an entity without problems has no status").isFalse();

        Answer analyzed = tester.post("/analyze-location", "{\"location\": " + location("file", broken) + "}");
        assertThat(analyzed.status()).isEqualTo(200);
        assertThat(analyzed.body().path("existingEntityFiles")).hasSize(1);
        assertThat(analyzed.body().path("problems")).singleElement().asString().contains("document 2", "duplicate key");
        assertThat(tester.delete("/locations/" + id).status()).isEqualTo(204);
    }

    @Test
    void anEntityKeptAfterAnInvalidEditServesTheProblemAsItsStatus() throws IOException {
        Path file = Files.createTempDirectory(Path.of("src/test/resources/web").toAbsolutePath(), "edit-")
                .resolve("catalog-info.yaml");
        try {
            Files.writeString(file, """
                    apiVersion: backstage.io/v1alpha1
                    kind: Component
                    metadata: {name: edited-later}
                    spec: {type: service, lifecycle: production, owner: web-team}
                    """);
            String id = tester.post("/locations", location("file", file.toString())).body().path("location").path("id").asText();
            Files.writeString(file, """
                    apiVersion: backstage.io/v1alpha1
                    kind: Component
                    metadata: {name: edited-later}
                    spec: {type: service, lifecycle: production, owner: "not a ref!!"}
                    """);
            assertThat(tester.post("/refresh", "{\"entityRef\": \"component:default/edited-later\"}").status()).isEqualTo(200);

            JsonNode entity = anonymous.get("/entities/by-name/component/default/edited-later").body();
            assertThat(entity.path("spec").path("owner").asText()).as("the last valid version").isEqualTo("web-team");
            assertThat(entity.path("status").path("items")).singleElement().satisfies(item -> {
                assertThat(item.path("type").asText()).isEqualTo("backstage.io/catalog-processing");
                assertThat(item.path("level").asText()).isEqualTo("error");
                assertThat(item.path("message").asText()).contains("component:default/edited-later", "spec.owner");
            });
            assertThat(anonymous.get("/entities/by-query?filter=metadata.name=edited-later").body().path("items").get(0)
                    .path("status").path("items")).hasSize(1);
            tester.delete("/locations/" + id);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        }
    }

    @Test
    void aDryRunOfAFileThatDefinesATeamSaysARegistrationWouldBeRefusedIt() {
        Path org = Path.of("src/test/resources/web/org.yaml").toAbsolutePath();

        Answer answer = tester.post("/locations?dryRun=true", location("file", org.toString()));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorName()).isEqualTo("InputError");
        assertThat(answer.errorMessage()).contains("group:default/web-team: Group entities define who belongs to which team",
                "registered through the API");
    }

    @Test
    void walksTheAncestryUpToTheRegisteredLocationEntity() {
        JsonNode ancestry = anonymous.get("/entities/by-name/component/default/web-service/ancestry").body();
        String locationRef = anonymous.get("/locations/" + locationId).body().path("entityRef").asText();
        assertThat(ancestry.path("rootEntityRef").asText()).isEqualTo("component:default/web-service");
        assertThat(ancestry.path("items").get(0).path("parentEntityRefs").get(0).asText()).isEqualTo(locationRef);
        assertThat(ancestry.path("items").get(1).path("entity").path("metadata").path("name").asText())
                .isEqualTo(locationRef.substring("location:default/".length()));
        assertThat(ancestry.path("items").get(1).path("parentEntityRefs").isEmpty()).isTrue();
    }

    @Test
    void countsFacetsUnderTheRequestedSpelling() {
        JsonNode facets = anonymous.get("/entity-facets?facet=spec.type&facet=Kind&filter="
                + enc("metadata.labels.probe-run=web")).body().path("facets");
        assertThat(facets.path("spec.type").toString()).isEqualTo(
                "[{\"value\":\"service\",\"count\":2},{\"value\":\"team\",\"count\":1},{\"value\":\"website\",\"count\":1}]");
        assertThat(facets.has("Kind")).isTrue();
    }

    private static void assertError(Answer answer, int status, String name) {
        assertThat(answer.status()).as("status of %s", answer.raw().body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.errorName()).isEqualTo(name);
        assertThat(answer.errorMessage()).isNotBlank();
        assertThat(answer.body().path("response").path("statusCode").asInt()).isEqualTo(status);
        assertThat(answer.body().path("request").path("method").asText()).isNotBlank();
    }

    private static String location(String type, String target) {
        return "{\"type\":\"" + type + "\",\"target\":\"" + target + "\"}";
    }

    private static String bigRefsBody() {
        StringBuilder body = new StringBuilder("{\"entityRefs\":[");
        for (int i = 0; i < 5000; i++) {
            body.append(i == 0 ? "" : ",").append("\"component:default/padding-").append(i).append('"');
        }
        return body.append("]}").toString();
    }

    private static List<String> names(JsonNode items) {
        List<String> names = new ArrayList<>();
        items.forEach(item -> names.add(item.path("metadata").path("name").asText()));
        return names;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
