package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code portal.catalog-check}: checks a request against the catalog before anyone is asked to
 * approve it: the entities that must exist (the owning group, the system), and those that must not
 * (the component about to be created). A violation throws the BPMN error
 * {@value #CHECK_FAILED} naming every broken rule, which the process can catch to end the run with
 * that reason. The output describes the entities found, e.g. a group's {@code parent}, which
 * create-service escalates to.
 */
public final class CatalogCheckAction implements ScaffolderAction<CatalogCheckAction.Input, CatalogCheckAction.Output> {

    /** The BPMN error code of a failed check. */
    public static final String CHECK_FAILED = "portal.catalog-check-failed";

    /**
     * @param present entity refs that must be in the catalog
     * @param absent  entity refs that must not be
     */
    public record Input(List<String> present, List<String> absent) {
    }

    /** @param entities the {@code present} entities, in the order asked */
    public record Output(List<Found> entities) {
    }

    /**
     * An entity that was found.
     *
     * @param ref    its canonical ref
     * @param title  {@code metadata.title}, or its name
     * @param owner  {@code spec.owner} as a canonical ref, if it has one
     * @param parent {@code spec.parent} as a canonical group ref, if it has one (groups)
     * @param system {@code spec.system} as a canonical ref, if it has one
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Found(String ref, String kind, String name, String title, String owner, String parent, String system) {
    }

    private static final ObjectNode INPUT = ActionSchemas.parse("""
            {"type": "object",
             "properties": {
               "present": {"type": "array", "maxItems": 100, "items": {"type": "string", "minLength": 1, "maxLength": 512},
                 "description": "Entity refs that must be in the catalog, e.g. [\\"group:default/payments\\"]."},
               "absent": {"type": "array", "maxItems": 100, "items": {"type": "string", "minLength": 1, "maxLength": 512},
                 "description": "Entity refs that must not be in the catalog yet, e.g. [\\"component:default/billing\\"]."}
             }}""");

    private static final ObjectNode OUTPUT = ActionSchemas.parse("""
            {"type": "object",
             "properties": {
               "entities": {"type": "array", "description": "The present entities, in the order asked: ref, kind, name, title, owner, parent, system.",
                 "items": {"type": "object"}}
             }}""");

    private final Function<EntityRef, Optional<Entity>> entities;

    /** @param entities looks entities up by ref */
    public CatalogCheckAction(Function<EntityRef, Optional<Entity>> entities) {
        this.entities = entities;
    }

    /** Looks entities up in the catalog. */
    public CatalogCheckAction(EntityQueries catalog) {
        this(ref -> catalog.byRef(ref).map(StoredEntity::entity));
    }

    @Override
    public String id() {
        return "portal.catalog-check";
    }

    @Override
    public String description() {
        return "Checks that some entities are in the catalog and others are not; a violation is the BPMN error "
                + CHECK_FAILED + ".";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return INPUT.deepCopy();
    }

    @Override
    public ObjectNode outputSchema() {
        return OUTPUT.deepCopy();
    }

    @Override
    public boolean supportsDryRun() {
        return true;
    }

    @Override
    public Output execute(Input input, ActionContext context) {
        List<String> broken = new ArrayList<>();
        List<Found> found = new ArrayList<>();
        for (String value : input.present() == null ? List.<String>of() : input.present()) {
            EntityRef ref = ref("present", value);
            Optional<Entity> entity = entities.apply(ref);
            if (entity.isEmpty()) {
                broken.add(ref.canonical() + " must exist in the catalog, but does not");
            } else {
                found.add(describe(entity.get()));
            }
        }
        for (String value : input.absent() == null ? List.<String>of() : input.absent()) {
            EntityRef ref = ref("absent", value);
            if (entities.apply(ref).isPresent()) {
                broken.add(ref.canonical() + " exists in the catalog already");
            }
        }
        if (!broken.isEmpty()) {
            context.log().warn("The request does not fit the catalog: " + String.join("; ", broken));
            throw new ActionException(CHECK_FAILED, String.join("; ", broken));
        }
        context.log().info("Checked against the catalog: " + found.size() + " present, "
                + (input.absent() == null ? 0 : input.absent().size()) + " absent as required");
        return new Output(found);
    }

    private static EntityRef ref(String field, String value) {
        try {
            return EntityRef.parse(value.strip());
        } catch (InvalidInputException e) {
            throw new ActionInputException(field + ": '" + value + "' is not an entity ref (kind:namespace/name): " + e.getMessage(), e);
        }
    }

    private static Found describe(Entity entity) {
        JsonNode spec = entity.spec();
        return new Found(entity.ref().canonical(), entity.kind(), entity.name(),
                entity.metadata().path("title").asText(entity.name()),
                relation(spec, "owner", "group", entity), relation(spec, "parent", "group", entity),
                relation(spec, "system", "system", entity));
    }

    private static String relation(JsonNode spec, String field, String defaultKind, Entity entity) {
        String value = spec == null ? null : spec.path(field).asText(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return EntityRef.parse(value, defaultKind, entity.namespace()).canonical();
        } catch (InvalidInputException e) {
            return value;
        }
    }
}
