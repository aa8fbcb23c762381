package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.ingest.DescriptorException;
import dev.portal.catalog.ingest.LocationReadException;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.catalog.processing.ProcessedEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.Order;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code portal.catalog-register}: registers the new repository's {@code catalog-info.yaml} as a
 * catalog location and returns once its entities are in the catalog (registration processes the
 * location at once). Registering the same location again (a redelivered job) finds the location
 * registered and returns the same entities.
 *
 * <p>Locations under the Scaffolder's own publish target ({@code trusted}) are registered like
 * configured ones; any other location must pass the catalog's API location policy, as if a user
 * had registered it.
 */
public final class CatalogRegisterAction implements ScaffolderAction<CatalogRegisterAction.Input, CatalogRegisterAction.Output> {

    /** The BPMN error code when the descriptor holds entities the step does not accept ({@code kinds}, {@code owner}). */
    public static final String REGISTRATION_REFUSED = "portal.registration-refused";

    /**
     * @param catalogInfoUrl the descriptor to register: {@code <repository URL>/-/blob/<branch>/catalog-info.yaml}
     * @param optional       whether a repository without entities is acceptable
     * @param kinds          the entity kinds the descriptor may hold (e.g. no Group, User or Location
     *                       from a repository somebody asked to add); any when empty
     * @param owner          the owner every entity must name in {@code spec.owner}; any when empty
     */
    public record Input(String catalogInfoUrl, Boolean optional, List<String> kinds, String owner) {
    }

    /**
     * @param entityRef  the first entity registered (the new component, usually)
     * @param entityRefs every entity registered
     * @param locationId the registered location
     */
    public record Output(String entityRef, List<String> entityRefs, String locationId) {
    }

    private static final ObjectNode INPUT = ActionSchemas.parse("""
            {"type": "object", "required": ["catalogInfoUrl"],
             "properties": {
               "catalogInfoUrl": {"type": "string", "minLength": 1, "maxLength": 2048,
                 "description": "The catalog-info.yaml to register, as <repository URL>/-/blob/<branch>/catalog-info.yaml (the catalogInfoUrl output of portal.publish-git)."},
               "optional": {"type": "boolean", "default": false,
                 "description": "Whether a repository that holds no entities is acceptable."},
               "kinds": {"type": "array", "maxItems": 20, "items": {"type": "string", "minLength": 1, "maxLength": 63},
                 "description": "The entity kinds the descriptor may hold, e.g. [\\"Component\\", \\"API\\"]; checked before anything is stored (portal.registration-refused). Any kind when empty."},
               "owner": {"type": "string", "maxLength": 512,
                 "description": "The owner every entity must name in spec.owner, e.g. group:default/payments; checked before anything is stored. Any owner when empty."}
             }}""");

    private static final ObjectNode OUTPUT = ActionSchemas.parse("""
            {"type": "object",
             "properties": {
               "entityRef": {"type": "string", "description": "The first entity registered, e.g. component:default/my-service."},
               "entityRefs": {"type": "array", "items": {"type": "string"}, "description": "Every entity registered."},
               "locationId": {"type": "string", "description": "The id of the registered catalog location."}
             }}""");

    private final Catalog catalog;
    private final Predicate<String> trusted;

    /**
     * @param trusted which descriptor URLs the portal itself published (and may register without
     *                the API location policy)
     */
    public CatalogRegisterAction(Catalog catalog, Predicate<String> trusted) {
        this.catalog = catalog;
        this.trusted = trusted;
    }

    @Override
    public String id() {
        return "portal.catalog-register";
    }

    @Override
    public String description() {
        return "Registers a repository's catalog-info.yaml in the catalog and waits until its entities are there.";
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
        LocationSpec spec = new LocationSpec(LocationSpec.URL, input.catalogInfoUrl());
        if (context.dryRun()) {
            context.log().info("dry run: would register " + spec);
            return new Output("", List.of(), "");
        }
        Location.Origin origin = trusted.test(input.catalogInfoUrl()) ? Location.Origin.SCAFFOLDER : Location.Origin.API;
        Catalog.Registration registration;
        try {
            refuseUnacceptedEntities(spec, origin, input, context);
            registration = catalog.register(spec, origin);
        } catch (LocationReadException | DescriptorException e) {
            throw e; // the source could not be read now: a technical failure, retried like any other
        } catch (LocationNotAllowedException | InvalidInputException e) {
            throw new ActionInputException("cannot register " + spec + ": " + e.getMessage(), e);
        }
        try {
            return registered(spec, registration, input, context);
        } catch (RuntimeException e) {
            if (!registration.existed()) {
                // nothing of a failed step stays behind: the location would keep failing at every refresh
                catalog.removeLocation(registration.location().id());
                context.log().warn("removed the location " + spec + " again: " + e.getMessage());
            }
            throw e;
        }
    }

    private void refuseUnacceptedEntities(LocationSpec spec, Location.Origin origin, Input input, ActionContext context) {
        List<String> kinds = input.kinds() == null ? List.of() : input.kinds();
        String owner = input.owner() == null || input.owner().isBlank() ? null
                : EntityRef.parse(input.owner().strip(), "group", EntityRef.DEFAULT_NAMESPACE).canonical();
        if (kinds.isEmpty() && owner == null) {
            return;
        }
        List<String> refused = new ArrayList<>();
        for (ProcessedEntity processed : catalog.preview(spec, origin).entities()) {
            Entity entity = processed.entity();
            if (!kinds.isEmpty() && kinds.stream().noneMatch(kind -> kind.equalsIgnoreCase(entity.kind()))) {
                refused.add(entity.ref().canonical() + " is a " + entity.kind() + ", not one of " + kinds);
            } else if (owner != null && !owner.equals(ownerOf(entity))) {
                refused.add(entity.ref().canonical() + " is owned by '" + entity.spec().path("owner").asText("") + "', not " + owner);
            }
        }
        if (!refused.isEmpty()) {
            context.log().warn("not registering " + spec + ": " + String.join("; ", refused));
            throw new ActionException(REGISTRATION_REFUSED, spec + " may not be registered here: " + String.join("; ", refused));
        }
    }

    private static String ownerOf(Entity entity) {
        String owner = entity.spec() == null ? "" : entity.spec().path("owner").asText("");
        try {
            return owner.isBlank() ? null : EntityRef.parse(owner, "group", entity.namespace()).canonical();
        } catch (InvalidInputException e) {
            return owner;
        }
    }

    private Output registered(LocationSpec spec, Catalog.Registration registration, Input input, ActionContext context) {
        List<ProcessingError> errors = registration.errors();
        List<String> refs = registration.entities().stream().map(EntityRef::canonical).toList();
        if (refs.isEmpty() && registration.existed()) {
            // registered before (a redelivered job): an unchanged source is not read again, so the
            // entities come from the catalog
            refs = catalog.entities().list(EntityFilter.equalTo("metadata.annotations." + Entity.MANAGED_BY_LOCATION, spec.ref()),
                    List.of(Order.asc("metadata.name")), 0, null).stream().map(stored -> stored.ref().canonical()).toList();
        }
        if (!errors.isEmpty() && refs.isEmpty()) {
            // nothing stored: the source could not be read (retried) or every entity was invalid
            throw new IllegalStateException("registering " + spec + " stored no entity: "
                    + errors.stream().map(ProcessingError::message).toList());
        }
        errors.forEach(error -> context.log().warn("catalog: " + error.message()));
        if (refs.isEmpty() && !Boolean.TRUE.equals(input.optional())) {
            throw new ActionInputException(spec + " holds no entities; set optional: true if that is expected");
        }
        context.log().info((registration.existed() ? "already registered " : "registered ") + spec + ": " + refs);
        return new Output(refs.isEmpty() ? "" : refs.getFirst(), refs, registration.location().id().toString());
    }
}
