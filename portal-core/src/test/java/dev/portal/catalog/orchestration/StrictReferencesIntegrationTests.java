package dev.portal.catalog.orchestration;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Relation;
import dev.portal.catalog.model.RelationType;
import dev.portal.catalog.testing.CatalogDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.portal.catalog.testing.CatalogTestSupport.component;
import static dev.portal.catalog.testing.CatalogTestSupport.group;
import static dev.portal.catalog.testing.CatalogTestSupport.register;
import static dev.portal.catalog.testing.CatalogTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

class StrictReferencesIntegrationTests {

    private static final EntityRef SVC = EntityRef.parse("component:default/svc");
    private static final EntityRef NOBODY = EntityRef.parse("group:default/nobody");

    @RegisterExtension
    static final CatalogDatabase db = new CatalogDatabase();


    @TempDir
    Path dir;

    @Test
    void leniently_aRefToNothingIsStoredAndListedAsDangling() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults());

        register(catalog, write(dir.resolve("catalog-info.yaml"), component("svc", "nobody")));

        assertThat(catalog.entities().byRef(SVC)).isPresent();
        assertThat(catalog.danglingRelations(SVC)).containsExactly(new Relation(SVC, RelationType.OWNED_BY, NOBODY));
    }

    @Test
    void leniently_aDanglingRelationResolvesWhenTheTargetAppears() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults());
        register(catalog, write(dir.resolve("svc.yaml"), component("svc", "nobody")));

        register(catalog, write(dir.resolve("nobody.yaml"), group("nobody")));

        assertThat(catalog.danglingRelations(SVC)).isEmpty();
        assertThat(catalog.entities().byRef(NOBODY).orElseThrow().relations())
                .contains(new Relation(NOBODY, RelationType.OWNER_OF, SVC));
    }

    @Test
    void strictly_anEntityWhoseRefsPointNowhereIsRejectedWithTheMissingRefs() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withStrictReferences(true));

        Catalog.Registration registration = register(catalog, write(dir.resolve("catalog-info.yaml"),
                component("svc", "nobody")));

        assertThat(catalog.entities().byRef(SVC)).isEmpty();
        assertThat(registration.errors()).singleElement().satisfies(error -> {
            assertThat(error.entityRef()).isEqualTo("component:default/svc");
            assertThat(error.message()).contains("ownedBy group:default/nobody").contains("strict-references");
        });
    }

    @Test
    void strictly_refsToEntitiesInTheSameFileOrAlreadyStoredAreAccepted() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withStrictReferences(true));
        register(catalog, write(dir.resolve("team.yaml"), group("team-a")));

        Catalog.Registration registration = register(catalog, write(dir.resolve("catalog-info.yaml"),
                component("svc", "team-a") + "---\n" + component("other", "team-b") + "---\n" + group("team-b")));

        assertThat(registration.errors()).isEmpty();
        assertThat(catalog.entities().byRef(SVC)).isPresent();
        assertThat(catalog.entities().byRef(EntityRef.parse("component:default/other"))).isPresent();
    }

    @Test
    void strictly_aRejectedEntityIsAcceptedOnceItsTargetExists() {
        Catalog catalog = new Catalog(db.dsl(), CatalogSettings.defaults().withStrictReferences(true));
        register(catalog, write(dir.resolve("svc.yaml"), component("svc", "nobody")));
        register(catalog, write(dir.resolve("nobody.yaml"), group("nobody")));

        register(catalog, dir.resolve("svc.yaml"));

        assertThat(catalog.entities().byRef(SVC)).isPresent();
    }
}
