package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** portal.catalog-register against a real catalog, reading a repository that portal.publish-git pushed. */
class CatalogRegisterActionIntegrationTests {

    static PostgresDatabase database;
    static Catalog catalog;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        database = PostgresDatabase.create();
        catalog = new Catalog(database.dsl(), CatalogSettings.defaults().withApiLocationPolicy(LocationPolicy.fenced(List.of(), List.of())));
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    private ActionContext context(Path workspace) {
        TemplateDefinition template = new TemplateDefinition(EntityRef.parse("template:default/service"), "Service", "",
                List.of(), "", "etag", List.of(), "p", Optional.empty(), Optional.empty(), Optional.empty());
        return new ActionContext(new RunInfo(UUID.randomUUID(), template, "etag@1", JsonNodeFactory.instance.objectNode(),
                "user:default/alice"), "register", workspace, false, ActionLog.discarding());
    }

    private String publish(String name) throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace-" + name));
        CatalogTestSupport.write(workspace.resolve("catalog-info.yaml"), CatalogTestSupport.component(name, "group:default/payments"));
        String pattern = "file://" + dir.resolve("remotes").toAbsolutePath() + "/{name}.git";
        PublishGitAction publish = new PublishGitAction(GitPublishSettings.of(pattern));
        return publish.execute(new PublishGitAction.Input(name, null, null, null, null, null), context(workspace)).catalogInfoUrl();
    }

    @Test
    void registersThePublishedRepositoryAndRegisteringAgainChangesNothing() throws Exception {
        String url = publish("ledger");
        String trustedPrefix = url.substring(0, url.indexOf("/remotes/") + "/remotes/".length());
        CatalogRegisterAction register = new CatalogRegisterAction(catalog, candidate -> candidate.startsWith(trustedPrefix));

        CatalogRegisterAction.Output first = register.execute(new CatalogRegisterAction.Input(url, null, null, null), context(dir));
        CatalogRegisterAction.Output again = register.execute(new CatalogRegisterAction.Input(url, null, null, null), context(dir));

        assertThat(first.entityRef()).isEqualTo("component:default/ledger");
        assertThat(again).isEqualTo(first);
        assertThat(catalog.locations()).filteredOn(location -> location.spec().target().equals(url)).hasSize(1);
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/ledger"))).isPresent();
    }

    @Test
    void aLocationOutsideThePublishTargetMustPassTheCatalogsLocationPolicy() throws Exception {
        String url = publish("billing");
        CatalogRegisterAction register = new CatalogRegisterAction(catalog, candidate -> false);

        assertThatThrownBy(() -> register.execute(new CatalogRegisterAction.Input(url, null, null, null), context(dir)))
                .isInstanceOf(ActionInputException.class)
                .hasMessageContaining("cannot register url:" + url);
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/billing"))).isEmpty();
    }

    @Test
    void kindsAndOwnerAreCheckedBeforeAnythingIsStored() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace-sneaky"));
        CatalogTestSupport.write(workspace.resolve("catalog-info.yaml"), CatalogTestSupport.component("sneaky", "group:default/payments")
                + "---\n" + CatalogTestSupport.group("admins"));
        String pattern = "file://" + dir.resolve("remotes").toAbsolutePath() + "/{name}.git";
        String url = new PublishGitAction(GitPublishSettings.of(pattern))
                .execute(new PublishGitAction.Input("sneaky", null, null, null, null, null), context(workspace)).catalogInfoUrl();
        CatalogRegisterAction register = new CatalogRegisterAction(catalog, candidate -> true);

        assertThatThrownBy(() -> register.execute(new CatalogRegisterAction.Input(url, null, List.of("Component", "API"), null), context(dir)))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("group:default/admins is a Group, not one of [Component, API]");
        assertThatThrownBy(() -> register.execute(new CatalogRegisterAction.Input(url, null, null, "platform"), context(dir)))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("component:default/sneaky is owned by 'group:default/payments', not group:default/platform");
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/sneaky"))).isEmpty();
        assertThat(catalog.locations()).noneMatch(location -> location.spec().target().equals(url));
    }

    @Test
    void aFailedRegistrationLeavesNoLocationBehind() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace-empty"));
        CatalogTestSupport.write(workspace.resolve("catalog-info.yaml"), "# nothing described here yet\n");
        String pattern = "file://" + dir.resolve("remotes").toAbsolutePath() + "/{name}.git";
        String url = new PublishGitAction(GitPublishSettings.of(pattern))
                .execute(new PublishGitAction.Input("empty", null, null, null, null, null), context(workspace)).catalogInfoUrl();
        CatalogRegisterAction register = new CatalogRegisterAction(catalog, candidate -> true);

        assertThatThrownBy(() -> register.execute(new CatalogRegisterAction.Input(url, null, null, null), context(dir)))
                .isInstanceOf(ActionInputException.class).hasMessageContaining("holds no entities");
        assertThat(catalog.locations()).noneMatch(location -> location.spec().target().equals(url));
    }
}
