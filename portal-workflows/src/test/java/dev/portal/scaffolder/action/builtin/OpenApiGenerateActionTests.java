package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openapitools.codegen.config.GlobalSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.portal.catalog.testing.EntityFixtures.entity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiGenerateActionTests {

    static final String PETSTORE = petstore();

    @TempDir
    Path workspace;

    private final List<String> log = new ArrayList<>();
    private final Map<EntityRef, Entity> catalog = Map.of(
            EntityRef.parse("api:default/petstore"), api("petstore", "openapi", PETSTORE),
            EntityRef.parse("api:default/payments"), api("payments", "grpc", "syntax = \"proto3\";"),
            EntityRef.parse("component:default/petstore"), entity("""
                    kind: Component
                    metadata: {name: petstore}
                    spec: {type: service, lifecycle: production, owner: team-a}
                    """));
    private final OpenApiGenerateAction action = new OpenApiGenerateAction(ref -> catalog.entrySet().stream()
            .filter(entry -> entry.getKey().equals(ref)).map(Map.Entry::getValue).findFirst());

    @BeforeEach
    void clearLog() {
        log.clear();
    }

    @Test
    void generatesASpringServerInterfaceFromAnInlineDefinition() throws Exception {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, PETSTORE, "spring", "api",
                Map.of("interfaceOnly", "true", "apiPackage", "com.example.pets.api",
                        "modelPackage", "com.example.pets.model"));

        OpenApiGenerateAction.Output output = action.execute(input, context());

        Path api = workspace.resolve("api");
        assertThat(api.resolve("src/main/java/com/example/pets/api/PetsApi.java")).content()
                .contains("public interface PetsApi", "listPets", "createPet", "showPetById");
        assertThat(api.resolve("src/main/java/com/example/pets/model/Pet.java")).exists();
        assertThat(api.resolve("src/main/java/com/example/pets/model/NewPet.java")).exists();
        assertThat(api.resolve("src/main/java/com/example/pets/model/Error.java")).exists();
        assertThat(api.resolve("pom.xml")).exists();
        assertThat(output).isEqualTo(new OpenApiGenerateAction.Output("spring", "api", filesUnder(api)));
        assertThat(log).contains("Generating spring from the inline definition into api");
    }

    @Test
    void generatesAClientFromACatalogApiIntoTheWorkspaceByDefault() throws Exception {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input("api:default/petstore", null,
                "typescript-fetch", null, Map.of());

        OpenApiGenerateAction.Output output = action.execute(input, context());

        assertThat(workspace.resolve("apis/PetsApi.ts")).exists();
        assertThat(workspace.resolve("models/Pet.ts")).exists();
        assertThat(output.outputPath()).isEqualTo(".");
        assertThat(output.files()).isEqualTo(filesUnder(workspace));
        assertThat(log).contains("Generating typescript-fetch from api:default/petstore into .");
    }

    @Test
    void takesAnApiRefWithoutKindAsAnApi() throws Exception {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input("petstore", null, "spring", "api",
                Map.of("interfaceOnly", "true"));

        assertThat(action.execute(input, context()).files()).isPositive();
    }

    @Test
    void generatesFromASwagger2Definition() throws Exception {
        String swagger = """
                swagger: '2.0'
                info: {title: Legacy, version: '1'}
                paths:
                  /pets:
                    get:
                      operationId: listPets
                      tags: [pets]
                      responses:
                        '200':
                          description: The pets
                          schema:
                            type: array
                            items: {$ref: '#/definitions/Pet'}
                definitions:
                  Pet:
                    type: object
                    properties:
                      name: {type: string}
                """;

        action.execute(new OpenApiGenerateAction.Input(null, swagger, "spring", "api",
                Map.of("interfaceOnly", "true", "modelPackage", "legacy.model")), context());

        assertThat(workspace.resolve("api/src/main/java/legacy/model/Pet.java")).exists();
    }

    @Test
    void printsNothingToStandardOutputAndLeavesNoSettingsOnTheThread() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            action.execute(new OpenApiGenerateAction.Input(null, PETSTORE, "spring", "api",
                    Map.of("interfaceOnly", "true")), context());
        } finally {
            System.setOut(original);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(GlobalSettings.getProperty("quiet")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-such-generator", "java.lang.Object", "org.openapitools.codegen.languages.SpringCodegen"})
    void refusesAGeneratorOpenApiGeneratorDoesNotShip(String generator) {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, PETSTORE, generator, "api", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("generator '" + generator + "' is not an OpenAPI Generator generator");
        assertThat(workspace.resolve("api")).doesNotExist();
    }

    @Test
    void refusesBothAnApiRefAndADefinition() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input("api:default/petstore", PETSTORE,
                "spring", null, null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("exactly one of apiRef");
    }

    @Test
    void refusesNeitherAnApiRefNorADefinition() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(" ", null, "spring", null, null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("exactly one of apiRef");
    }

    @Test
    void refusesARefThatIsNotInTheCatalog() {
        assertThatThrownBy(() -> action.execute(fromRef("api:default/nothing"), context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessage("apiRef 'api:default/nothing': api:default/nothing does not exist in the catalog");
    }

    @Test
    void refusesAnEntityThatIsNotAnApi() {
        assertThatThrownBy(() -> action.execute(fromRef("component:default/petstore"), context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessage("apiRef 'component:default/petstore': component:default/petstore is a Component, not an API");
    }

    @Test
    void refusesAnApiThatIsNotOpenApi() {
        assertThatThrownBy(() -> action.execute(fromRef("api:default/payments"), context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("api:default/payments is an API of type 'grpc'");
    }

    @Test
    void refusesAMalformedRef() {
        assertThatThrownBy(() -> action.execute(fromRef("api:default/"), context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("apiRef 'api:default/' is not an entity ref");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "file:///etc/passwd", "../secrets.yaml#/Pet", "other.yaml",
            "http://127.0.0.1:9/pet.yaml", "https://example.com/pet.yaml#/components/schemas/Pet"})
    void refusesADefinitionThatRefersToOtherDocuments(String ref) {
        String definition = PETSTORE.replace("'#/components/schemas/NewPet'", "'" + ref + "'");
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, definition, "spring", "api", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("refers to other documents ($ref: " + ref + ")");
        assertThat(workspace.resolve("api")).doesNotExist();
    }

    @Test
    void refusesADefinitionThatIsNotOpenApi() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, "openapi: 3.0.3\npaths: {}\n",
                "spring", "api", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("the inline definition is not a valid OpenAPI definition: ")
                .hasMessageContaining("info");
    }

    @Test
    void refusesADefinitionThatIsNotYaml() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, "openapi: [3.0.3\n", "spring",
                "api", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("the inline definition is neither YAML nor JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside", "api/../../outside", "/tmp/api"})
    void refusesAnOutputPathOutsideTheWorkspace(String outputPath) {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, PETSTORE, "spring", outputPath, null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("must name a folder inside the workspace");
    }

    @Test
    void refusesAnOutputFolderHoldingALinkOutOfTheWorkspace(@TempDir Path outside) throws IOException {
        Files.createDirectories(workspace.resolve("api"));
        Files.createSymbolicLink(workspace.resolve("api/src"), outside);
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, PETSTORE, "spring", "api", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("holds the symbolic link 'src'");
        assertThat(outside).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"templateDir=templates", "ignoreFileOverride=.ignore", "enablePostProcessFile=true",
            "sourceFolder=/tmp/src", "sourceFolder=../../src", "sourceFolder=src/../../..", "sourceFolder=C:\\src"})
    void refusesOptionsThatReadFilesRunProgramsOrWriteElsewhere(String option) {
        String[] keyValue = option.split("=", 2);
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, PETSTORE, "spring", "api",
                Map.of(keyValue[0], keyValue[1]));

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("additionalProperties refused: " + keyValue[0]);
        assertThat(workspace.resolve("api")).doesNotExist();
    }

    @Test
    void refusesAnUnknownLibraryAsInput() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input(null, PETSTORE, "java", "client",
                Map.of("library", "no-such-library"));

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageStartingWith("OpenAPI Generator 'java' failed");
    }

    @Test
    void describesEveryInputAndOutputProperty() {
        assertThat(action.inputSchema().get("properties").properties()).hasSize(5)
                .allSatisfy(property -> assertThat(property.getValue().path("description").asText()).isNotBlank());
        assertThat(action.outputSchema().get("properties").properties()).hasSize(3)
                .allSatisfy(property -> assertThat(property.getValue().path("description").asText()).isNotBlank());
        assertThat(action.supportsDryRun()).isTrue();
        assertThat(action.id()).isEqualTo("portal.openapi-generate");
    }

    static String petstore() {
        try (InputStream in = OpenApiGenerateActionTests.class.getResourceAsStream("/openapi/petstore.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Entity api(String name, String type, String definition) {
        return entity("""
                kind: API
                metadata: {name: %s}
                spec: {type: %s, lifecycle: production, owner: team-a}
                """.formatted(name, type)).with(json -> ((com.fasterxml.jackson.databind.node.ObjectNode) json
                .get("spec")).put("definition", definition));
    }

    private static OpenApiGenerateAction.Input fromRef(String ref) {
        return new OpenApiGenerateAction.Input(ref, null, "spring", "api", null);
    }

    private ActionContext context() {
        TemplateDefinition template = new TemplateDefinition(EntityRef.parse("template:default/service"), "Service",
                "", List.of(), "group:default/platform", "etag-1", List.of(), "create-service",
                Optional.empty(), Optional.empty(), Optional.empty());
        RunInfo run = new RunInfo(UUID.randomUUID(), template, "etag-1@1", JsonNodeFactory.instance.objectNode(),
                "user:default/alice");
        return new ActionContext(run, "generate", workspace, false, new ActionLog() {
            @Override
            public void info(String message) {
                log.add(message);
            }

            @Override
            public void warn(String message) {
                log.add(message);
            }
        });
    }

    private static int filesUnder(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return (int) paths.filter(Files::isRegularFile).count();
        }
    }
}
