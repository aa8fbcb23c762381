package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.group;
import static dev.portal.catalog.testing.CatalogTestSupport.register;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generating from API entities as the catalog stores them (PostgreSQL). */
class OpenApiGenerateActionIntegrationTests {

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();

    @TempDir
    Path catalogFiles;

    @TempDir
    Path workspace;

    private OpenApiGenerateAction action;

    @BeforeEach
    void registerThePetstore() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
        String api = """
                apiVersion: backstage.io/v1alpha1
                kind: API
                metadata:
                  name: petstore
                spec:
                  type: openapi
                  lifecycle: production
                  owner: team-a
                  definition: |
                """ + OpenApiGenerateActionTests.PETSTORE.indent(4);
        Catalog.Registration registration = register(catalog, write(catalogFiles.resolve("catalog-info.yaml"),
                api + "---\n" + component("petstore-service", "team-a") + "---\n" + group("team-a")));
        assertThat(registration.errors()).isEmpty();
        action = new OpenApiGenerateAction(catalog.entities());
    }

    @Test
    void generatesASpringInterfaceFromTheCatalogsApiEntity() throws Exception {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input("api:default/PetStore", null, "spring",
                "service", Map.of("interfaceOnly", "true", "apiPackage", "com.example.pets.api"));

        OpenApiGenerateAction.Output output = action.execute(input, context());

        assertThat(workspace.resolve("service/src/main/java/com/example/pets/api/PetsApi.java")).content()
                .contains("public interface PetsApi");
        assertThat(output.generator()).isEqualTo("spring");
        assertThat(output.outputPath()).isEqualTo("service");
        assertThat(output.files()).isPositive();
    }

    @Test
    void refusesAComponentRef() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input("component:default/petstore-service",
                null, "spring", "service", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("component:default/petstore-service is a Component, not an API");
    }

    @Test
    void refusesARefTheCatalogDoesNotHave() {
        OpenApiGenerateAction.Input input = new OpenApiGenerateAction.Input("api:default/unknown", null, "spring",
                "service", null);

        assertThatThrownBy(() -> action.execute(input, context()))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("api:default/unknown does not exist in the catalog");
    }

    private ActionContext context() {
        TemplateDefinition template = new TemplateDefinition(EntityRef.parse("template:default/service"), "Service",
                "", List.of(), "group:default/platform", "etag-1", List.of(), "create-service",
                Optional.empty(), Optional.empty(), Optional.empty());
        RunInfo run = new RunInfo(UUID.randomUUID(), template, "etag-1@1", JsonNodeFactory.instance.objectNode(),
                "user:default/alice");
        return new ActionContext(run, "generate", workspace, false, ActionLog.discarding());
    }
}
