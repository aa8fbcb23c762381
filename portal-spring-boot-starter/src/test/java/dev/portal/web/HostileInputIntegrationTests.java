package dev.portal.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.web.CatalogHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against the catalog API over HTTP, with the real PostgreSQL behind it: every case
 * is answered with a 4xx whose message names the offending item and the rule (never a 500, never
 * SQL, class names or the content of a file), and the stored catalog is the same afterwards.
 *
 * <p>One case per row of {@link #cases()}, grouped by the class of problem; a fix for a new class
 * of hostile input adds its rows here. The files the fence and pipe cases point at are planted in
 * a temporary allowed root; the statement timeout has a test of its own below.
 */
@SpringBootTest(classes = CatalogApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"portal.catalog.allowed-hosts=localhost", "portal.catalog.api.statement-timeout=1s"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE = Path.of("src/test/resources/web/catalog-info.yaml").toAbsolutePath().toString();
    /** What no message may hold: internals, SQL, a control character, the secret behind a link. */
    private static final List<String> NEVER_IN_A_MESSAGE = List.of("Exception", "java.", "com.fasterxml", "dev.portal.",
            "org.", "select ", "SQL", "\u0000", "\u001f", "root:x:0:0", "hunter2");

    private static final Path ROOT = temporaryRoot();

    @DynamicPropertySource
    static void allowedRoots(DynamicPropertyRegistry registry) {
        registry.add("portal.catalog.allowed-file-roots[0]", ROOT::toString);
        registry.add("portal.catalog.allowed-file-roots[1]", () -> Path.of("src/test/resources/web").toAbsolutePath().toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    PostgresDatabase database;

    CatalogHttp anonymous;
    CatalogHttp tester;

    @BeforeAll
    void registerFixtureAndPlantFiles() throws Exception {
        anonymous = CatalogHttp.anonymous(port);
        tester = anonymous.as(CatalogApiTestApplication.USER, CatalogApiTestApplication.PASSWORD);
        assertThat(tester.post("/locations?onConflict=refresh", location("file", FIXTURE)).status()).isEqualTo(201);
        Path secret = Files.writeString(ROOT.getParent().resolve("secret-outside-the-root"),
                "root:x:0:0:root:/root:/bin/bash\npassword: hunter2\n");
        Files.createSymbolicLink(Files.createDirectories(ROOT.resolve("links")).resolve("passwd.yaml"), secret);
        Files.createSymbolicLink(ROOT.resolve("elsewhere"), Files.createDirectories(ROOT.getParent().resolve("outside")));
        assertThat(new ProcessBuilder("mkfifo", ROOT.resolve("pipe.yaml").toString()).start().waitFor()).isZero();
    }

    @AfterAll
    void removeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /**
     * One hostile request and what it must get.
     *
     * @param as who sends it: {@code anonymous} for reads, {@code tester} for writes
     * @param mentions what the message must name (the field, the rule, the property), case-insensitive
     */
    record Case(String name, String as, String method, String path, String body, int status, String errorName,
                List<String> mentions) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case get(String name, String path, int status, String errorName, String... mentions) {
        return new Case(name, "anonymous", "GET", path, null, status, errorName, List.of(mentions));
    }

    private static Case post(String name, String path, String body, int status, String errorName, String... mentions) {
        return new Case(name, "anonymous", "POST", path, body, status, errorName, List.of(mentions));
    }

    private static Case write(String name, String path, String body, int status, String errorName, String... mentions) {
        return new Case(name, "tester", "POST", path, body, status, errorName, List.of(mentions));
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // --- a control character (U+0000 cannot be stored, U+001F separates filter terms), in every input
        cases.add(get("NUL in a filter value", "/entities?filter=" + enc("kind=com\u0000ponent"), 400, "InputError",
                "filter key 'kind'", "U+0000"));
        cases.add(get("NUL in a filter key", "/entities/by-query?filter=" + enc("ki\u0000nd=component"), 400,
                "InputError", "filter key", "U+0000"));
        cases.add(get("unit separator joining a filter key and value", "/entities?filter=" + enc("kind\u001fcomponent"),
                400, "InputError", "filter key", "U+001F"));
        cases.add(get("NUL in fullTextFilterTerm", "/entities/by-query?fullTextFilterTerm=" + enc("web\u0000"), 400,
                "InputError", "full-text term", "U+0000"));
        cases.add(get("NUL in fullTextFilterFields", "/entities/by-query?fullTextFilterTerm=web&fullTextFilterFields="
                + enc("metadata.\u0000name"), 400, "InputError", "full-text field", "U+0000"));
        cases.add(get("NUL in order", "/entities?order=" + enc("asc:metadata.\u0000name"), 400, "InputError",
                "order field", "U+0000"));
        cases.add(get("NUL in orderField", "/entities/by-query?orderField=" + enc("metadata.\u0000name,asc"), 400,
                "InputError", "order field", "U+0000"));
        cases.add(get("NUL in a facet", "/entity-facets?facet=" + enc("spec.\u0000type"), 400, "InputError", "facet",
                "U+0000"));
        cases.add(post("NUL in a facet of a predicate facet query", "/entity-facets", "{\"facets\":[\"kind\\u0000\"]}",
                400, "InputError", "facet", "U+0000"));
        cases.add(get("NUL in the position of a forged cursor", "/entities/by-query?cursor="
                + cursor(cursor -> cursor.put("orderField", "metadata.name").put("order", "asc").put("value", "web\u0000")),
                400, "InputError", "invalid cursor", "U+0000"));
        cases.add(post("NUL in a predicate value", "/entities/by-query", "{\"query\":{\"kind\":\"component\\u0000\"}}",
                400, "InputError", "filter key 'kind'", "U+0000"));
        cases.add(post("NUL in a predicate key", "/entities/by-query",
                "{\"query\":{\"$any\":[{\"ki\\u0000nd\":{\"$exists\":true}}]}}", 400, "InputError", "filter key", "U+0000"));
        cases.add(post("NUL in a by-refs ref", "/entities/by-refs", "{\"entityRefs\":[\"component:default/web\\u0000\"]}",
                400, "InputError", "entity ref", "U+0000"));
        cases.add(post("NUL in a by-refs filter", "/entities/by-refs?filter=" + enc("kind=a\u0000b"),
                "{\"entityRefs\":[\"component:default/web-service\"]}", 400, "InputError", "filter key 'kind'", "U+0000"));
        cases.add(write("NUL in a refresh ref", "/refresh", "{\"entityRef\":\"component:default/web-\\u0000service\"}",
                400, "InputError", "entity ref", "U+0000"));
        cases.add(write("NUL in a location target", "/locations", location("file", FIXTURE + "\\u0000"), 400,
                "InputError", "location target", "U+0000"));
        cases.add(write("NUL in a location target of a dry run", "/locations?dryRun=true",
                location("file", FIXTURE + "\\u0000"), 400, "InputError", "location target", "U+0000"));
        cases.add(write("NUL in an analyzed location", "/analyze-location",
                "{\"location\":" + location("file", FIXTURE + "\\u0000") + "}", 400, "InputError", "location target",
                "U+0000"));
        cases.add(post("NUL in a validated entity's description", "/validate-entity", """
                {"location":"url:https://example.com/catalog-info.yaml",
                 "entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component",
                           "metadata":{"name":"fine","description":"a\\u0000b"},
                           "spec":{"type":"service","lifecycle":"production","owner":"team-a"}}}""", 400, "InputError",
                "metadata.description", "U+0000"));

        // --- runaway work: sizes refused before the database is asked
        cases.add(post("a predicate of 3,000 $any items", "/entities/by-query",
                predicate(IntStream.range(0, 3000).mapToObj(i -> "{\"a\":\"" + i + "\"}").collect(Collectors.joining(","))),
                400, "InputError", "more than 200 items", "portal.catalog.api.max-filter-items"));
        cases.add(post("a predicate nested 11 deep", "/entities/by-query",
                "{\"query\":" + "{\"$not\":".repeat(11) + "{\"kind\":\"x\"}" + "}".repeat(11) + "}", 400, "InputError",
                "levels deep", "portal.catalog.api.max-filter-depth"));
        cases.add(get("a filter parameter of 201 values", "/entities?filter=" + enc(IntStream.range(0, 201)
                .mapToObj(i -> "a=" + i).collect(Collectors.joining(","))), 400, "InputError", "max-filter-items"));
        cases.add(get("101 filter parameters", "/entities/by-query?" + IntStream.range(0, 101)
                .mapToObj(i -> "filter=a%3D" + i).collect(Collectors.joining("&")), 400, "InputError", "max-filter-items"));
        cases.add(post("a predicate facet query over the limit", "/entity-facets",
                "{\"facets\":[\"kind\"]," + predicate(IntStream.range(0, 300).mapToObj(i -> "{\"a\":\"" + i + "\"}")
                        .collect(Collectors.joining(","))).substring(1), 400, "InputError", "max-filter-items"));
        cases.add(get("21 facets", "/entity-facets?" + IntStream.range(0, 21).mapToObj(i -> "facet=f" + i)
                .collect(Collectors.joining("&")), 400, "InputError", "21 facets", "portal.catalog.api.max-facets"));
        cases.add(get("101 fields", "/entities?fields=" + IntStream.range(0, 101).mapToObj(i -> "f" + i)
                .collect(Collectors.joining(",")), 400, "InputError", "101 paths", "portal.catalog.api.max-fields"));
        cases.add(post("101 fields of a predicate query", "/entities/by-query", "{\"fields\":["
                + IntStream.range(0, 101).mapToObj(i -> "\"f" + i + "\"").collect(Collectors.joining(",")) + "]}",
                400, "InputError", "portal.catalog.api.max-fields"));
        cases.add(get("11 sort fields", "/entities?" + IntStream.range(0, 11).mapToObj(i -> "order=asc:f" + i)
                .collect(Collectors.joining("&")), 400, "InputError", "11 sort fields", "portal.catalog.api.max-order-fields"));
        cases.add(get("a full-text term of 201 characters", "/entities/by-query?fullTextFilterTerm=" + "w".repeat(201),
                400, "InputError", "201 characters", "portal.catalog.api.max-full-text-length"));
        cases.add(get("21 full-text fields", "/entities/by-query?fullTextFilterTerm=w&fullTextFilterFields="
                + IntStream.range(0, 21).mapToObj(i -> "f" + i).collect(Collectors.joining(",")), 400, "InputError",
                "portal.catalog.api.max-full-text-fields"));
        cases.add(post("1,001 refs", "/entities/by-refs", "{\"entityRefs\":[" + IntStream.range(0, 1001)
                .mapToObj(i -> "\"c:x" + i + "\"").collect(Collectors.joining(",")) + "]}", 400, "InputError", "1001 entity refs",
                "portal.catalog.api.max-refs"));
        cases.add(post("a cursor carrying a filter over the limit", "/entities/by-query", "{\"cursor\":\""
                + cursor(cursor -> cursor.set("filter", JSON.createObjectNode().set("$any", wide(500)))) + "\"}",
                400, "InputError", "max-filter-items"));

        // --- numbers at the edge
        cases.add(get("limit of the largest int", "/entities/by-query?limit=2147483647", 200, null));
        cases.add(get("limit and offset of the largest int", "/entities?limit=2147483647&offset=2147483647", 200, null));
        cases.add(post("predicate query with the largest limit", "/entities/by-query", "{\"limit\":2147483647}", 200, null));
        cases.add(get("a limit beyond int", "/entities/by-query?limit=99999999999", 400, "InputError", "limit"));
        cases.add(get("a negative offset", "/entities?offset=-1", 400, "InputError", "offset"));

        // --- type errors name the field, not the Java type
        cases.add(post("a string where a predicate belongs", "/entities/by-query", "{\"query\":\"kind=component\"}", 400,
                "InputError", "query"));
        cases.add(post("a string where the limit belongs", "/entities/by-query", "{\"limit\":\"ten\"}", 400, "InputError",
                "limit"));
        cases.add(post("an unknown order direction", "/entities/by-query",
                "{\"orderBy\":[{\"field\":\"metadata.name\",\"order\":\"sideways\"}]}", 400, "InputError", "orderBy[0].order"));
        cases.add(post("a string where refs belong", "/entities/by-refs", "{\"entityRefs\":\"component:default/web-service\"}",
                400, "InputError", "entityRefs"));
        cases.add(write("a list where a location type belongs", "/locations", "{\"type\":[\"file\"],\"target\":\"x\"}", 400,
                "InputError", "type"));

        // --- fences: what a path or URL leads to, not how it is written
        cases.add(write("a link in the root that leads to a secret, dry run", "/locations?dryRun=true",
                location("file", ROOT.resolve("links/passwd.yaml").toString()), 403, "NotAllowedError", "symbolic link"));
        cases.add(write("a link in the root that leads to a secret", "/locations",
                location("file", ROOT.resolve("links/passwd.yaml").toString()), 403, "NotAllowedError", "symbolic link"));
        cases.add(write("a link in the root that leads to a secret, analyzed", "/analyze-location",
                "{\"location\":" + location("file", ROOT.resolve("links/passwd.yaml").toString()) + "}", 403,
                "NotAllowedError", "symbolic link"));
        cases.add(write("a linked folder that leads out of the root, analyzed", "/analyze-location",
                "{\"location\":" + location("file", ROOT.resolve("elsewhere").toString()) + "}", 403, "NotAllowedError",
                "symbolic link"));
        cases.add(write("a folder outside the root, analyzed", "/analyze-location",
                "{\"location\":" + location("file", "/etc") + "}", 403, "NotAllowedError", "'/etc'",
                "portal.catalog.allowed-file-roots"));
        cases.add(write("a git repository on this server's disk named by host", "/locations",
                location("url", "file://localhost" + ROOT + "/repo.git/-/blob/main/catalog-info.yaml"), 403,
                "NotAllowedError", "file:///path"));
        cases.add(write("a git repository over a protocol that is no network one", "/locations?dryRun=true",
                location("url", "sftp://localhost/repo.git/-/blob/main/catalog-info.yaml"), 403, "NotAllowedError",
                "https"));
        cases.add(write("a named pipe in the root", "/locations",
                location("file", ROOT.resolve("pipe.yaml").toString()), 400, "InputError", "not a regular file"));
        cases.add(write("a named pipe in the root, dry run", "/locations?dryRun=true",
                location("file", ROOT.resolve("pipe.yaml").toString()), 400, "InputError", "not a regular file"));
        cases.add(write("a named pipe in the root, analyzed", "/analyze-location",
                "{\"location\":" + location("file", ROOT.resolve("pipe.yaml").toString()) + "}", 400, "InputError",
                "not a regular file"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void answersClearlyAndLeavesTheCatalogAsItWas(Case hostile) {
        String before = storedCatalog();
        CatalogHttp client = hostile.as().equals("tester") ? tester : anonymous;

        Answer answer = client.send(hostile.method(), hostile.path(), hostile.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(hostile.body()));

        assertThat(answer.status()).as("status, answered %s", answer.raw().body()).isEqualTo(hostile.status());
        if (hostile.status() >= 400) {
            assertThat(answer.contentType()).startsWith("application/json");
            assertThat(errorName(answer.body())).isEqualTo(hostile.errorName());
            String message = message(answer.body());
            assertThat(message).as("message").isNotBlank();
            hostile.mentions().forEach(mention -> assertThat(message.toLowerCase()).as("message %s", message)
                    .contains(mention.toLowerCase()));
            assertThat(message).as("message").doesNotContain(NEVER_IN_A_MESSAGE);
        }
        assertThat(storedCatalog()).as("the catalog after the request").isEqualTo(before);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aReadThatOutrunsTheStatementTimeoutIsAServiceUnavailableNamingTheLimit() throws Exception {
        // Another transaction holds the entities table, so the read waits: the wait counts against the timeout.
        try (Connection locker = database.dataSource().getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("lock table " + database.schema().name() + ".entities in access exclusive mode");
            }
            long start = System.nanoTime();
            Answer answer = anonymous.get("/entities/by-query?filter=" + enc("kind=component"));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            locker.rollback();

            assertThat(answer.status()).as("answered %s", answer.raw().body()).isEqualTo(503);
            assertThat(errorName(answer.body())).isEqualTo("ServiceUnavailableError");
            assertThat(message(answer.body())).contains("1000 ms", "portal.catalog.api.statement-timeout")
                    .doesNotContain(NEVER_IN_A_MESSAGE);
            assertThat(took).isLessThan(10_000);
        }
        assertThat(anonymous.get("/entities/by-query?filter=" + enc("kind=component")).status()).isEqualTo(200);
    }

    /** Every stored entity and location, in a stable order: what "intact" is compared by. */
    private String storedCatalog() {
        Answer entities = anonymous.get("/entities");
        Answer locations = anonymous.get("/locations");
        assertThat(entities.status()).isEqualTo(200);
        List<String> stored = new ArrayList<>();
        entities.body().forEach(entity -> stored.add(entity.toString()));
        locations.body().forEach(location -> stored.add(location.toString()));
        stored.sort(Comparator.naturalOrder());
        return String.join("\n", stored);
    }

    private static String errorName(JsonNode body) {
        return body.has("errors") ? body.path("errors").path(0).path("name").asText(null)
                : body.path("error").path("name").asText(null);
    }

    /** The error message; validate-entity answers a list of them. */
    private static String message(JsonNode body) {
        if (body.has("errors")) {
            List<String> messages = new ArrayList<>();
            body.path("errors").forEach(error -> messages.add(error.path("message").asText()));
            return String.join("; ", messages);
        }
        return body.path("error").path("message").asText("");
    }

    private static String predicate(String anyItems) {
        return "{\"query\":{\"$any\":[" + anyItems + "]}}";
    }

    private static ArrayNode wide(int items) {
        ArrayNode any = JSON.createArrayNode();
        for (int i = 0; i < items; i++) {
            any.addObject().put("a", Integer.toString(i));
        }
        return any;
    }

    /** A cursor as the API issues them, changed by {@code forge}. */
    private static String cursor(Function<ObjectNode, ObjectNode> forge) {
        ObjectNode cursor = JSON.createObjectNode();
        cursor.set("filter", JSON.createObjectNode());
        cursor.putArray("fullTextFields");
        cursor.put("limit", 10).put("direction", "next").put("uid", "00000000-0000-4000-8000-000000000000");
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(forge.apply(cursor).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String location(String type, String target) {
        return "{\"type\":\"" + type + "\",\"target\":\"" + target + "\"}";
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Path temporaryRoot() {
        try {
            return Files.createDirectories(Files.createTempDirectory("portal-hostile-").resolve("root"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
