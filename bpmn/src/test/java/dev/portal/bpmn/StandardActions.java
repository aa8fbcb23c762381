package dev.portal.bpmn;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.LocationPolicy;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.action.builtin.CatalogCheckAction;
import dev.portal.scaffolder.action.builtin.CatalogRegisterAction;
import dev.portal.scaffolder.action.builtin.CatalogUnregisterAction;
import dev.portal.scaffolder.action.builtin.FetchTemplateAction;
import dev.portal.scaffolder.action.builtin.GitCommitAction;
import dev.portal.scaffolder.action.builtin.GitPublishSettings;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.action.builtin.OpenApiGenerateAction;
import dev.portal.scaffolder.action.builtin.PublishGitAction;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The built-in actions, as the starter registers them. */
final class StandardActions {

    private StandardActions() {
    }

    /** For their schemas only: nothing behind them. */
    static List<ScaffolderAction<?, ?>> all() {
        return actions(null, GitPublishSettings.of("file:///srv/git/{name}.git"), ref -> Optional.empty());
    }

    /** Working on {@code catalog}, publishing as {@code git} says. */
    static List<ScaffolderAction<?, ?>> wired(Catalog catalog, GitPublishSettings git) {
        return actions(catalog, git, ref -> catalog.entities().byRef(ref).map(StoredEntity::entity));
    }

    private static List<ScaffolderAction<?, ?>> actions(Catalog catalog, GitPublishSettings git,
                                                        Function<EntityRef, Optional<Entity>> entities) {
        return List.of(new FetchTemplateAction(LocationPolicy.allowAll()),
                new PublishGitAction(git),
                new OpenApiGenerateAction(entities),
                new GitCommitAction(git, entities),
                new CatalogCheckAction(entities),
                new CatalogRegisterAction(catalog, git::publishes),
                new CatalogUnregisterAction(catalog),
                new LogAction());
    }
}
