package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.Order;
import dev.portal.error.InvalidInputException;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code portal.catalog-unregister}: removes an entity from the catalog for good: the location it
 * was read from is removed with it, or the next refresh would bring it back. A location that
 * describes other entities too is not removed: that throws the BPMN error {@value #SHARED_LOCATION}
 * (remove the entity from its file instead). Given a {@code locationId} (portal.catalog-register's
 * output) it removes that location and its entities, which is how a failed run takes back what it
 * registered. Running again after success finds nothing left and does nothing. (A location from
 * the application's own {@code portal.catalog.locations} comes back at its next start: remove it
 * from the configuration too.)
 */
public final class CatalogUnregisterAction
        implements ScaffolderAction<CatalogUnregisterAction.Input, CatalogUnregisterAction.Output> {

    /** The BPMN error code when the entity shares its location with other entities. */
    public static final String SHARED_LOCATION = "portal.location-shared";

    /**
     * @param entityRef  the entity to remove, with its location; or give {@code locationId}
     * @param locationId the location to remove, with its entities
     * @param checkOnly  only check that the removal would be allowed (the same errors), remove
     *                   nothing: a process asks before it changes anything else
     */
    public record Input(String entityRef, String locationId, Boolean checkOnly) {
    }

    /**
     * @param removed  the entities removed
     * @param location the location removed, as {@code type:target}; empty if there was none left
     */
    public record Output(List<String> removed, String location) {
    }

    private static final ObjectNode INPUT = ActionSchemas.parse("""
            {"type": "object",
             "properties": {
               "entityRef": {"type": "string", "maxLength": 512,
                 "description": "The entity to remove with its location, e.g. component:default/billing; or give locationId."},
               "locationId": {"type": "string", "maxLength": 64,
                 "description": "A location to remove with its entities (the locationId output of portal.catalog-register)."},
               "checkOnly": {"type": "boolean", "default": false,
                 "description": "Only check that the removal would be allowed (throwing the same errors); remove nothing."}
             }}""");

    private static final ObjectNode OUTPUT = ActionSchemas.parse("""
            {"type": "object",
             "properties": {
               "removed": {"type": "array", "items": {"type": "string"}, "description": "The entities removed."},
               "location": {"type": "string", "description": "The location removed (type:target); empty if none was left."}
             }}""");

    private final Catalog catalog;

    public CatalogUnregisterAction(Catalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String id() {
        return "portal.catalog-unregister";
    }

    @Override
    public String description() {
        return "Removes an entity and the location it was read from (or a location and its entities) from the catalog.";
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
        boolean hasRef = input.entityRef() != null && !input.entityRef().isBlank();
        boolean hasLocation = input.locationId() != null && !input.locationId().isBlank();
        if (hasRef == hasLocation) {
            throw new ActionInputException("give exactly one of entityRef and locationId");
        }
        Optional<Location> location;
        EntityRef ref = null;
        if (hasRef) {
            try {
                ref = EntityRef.parse(input.entityRef().strip());
            } catch (InvalidInputException e) {
                throw new ActionInputException("entityRef '" + input.entityRef() + "' is not an entity ref: " + e.getMessage(), e);
            }
            if (catalog.entities().byRef(ref).isEmpty()) {
                context.log().info(ref.canonical() + " is not in the catalog (any more); nothing to remove");
                return new Output(List.of(), "");
            }
            location = catalog.locationOf(ref);
        } else {
            UUID id;
            try {
                id = UUID.fromString(input.locationId().strip());
            } catch (IllegalArgumentException e) {
                throw new ActionInputException("locationId '" + input.locationId() + "' is not a location id", e);
            }
            location = catalog.location(id);
            if (location.isEmpty()) {
                context.log().info("location " + id + " is not registered (any more); nothing to remove");
                return new Output(List.of(), "");
            }
        }
        List<StoredEntity> entities = location.map(found -> catalog.entities().list(
                EntityFilter.equalTo("metadata.annotations." + Entity.MANAGED_BY_LOCATION, found.spec().ref()),
                List.of(Order.asc("metadata.name")), 0, null)).orElse(List.of());
        if (location.filter(found -> found.origin() == Location.Origin.CONFIG).isPresent()) {
            // configuration is the application's: it goes when the configuration no longer lists it
            throw new ActionException(SHARED_LOCATION, (ref == null ? "location " : ref.canonical() + " is read from ")
                    + location.get().spec() + (ref == null ? " comes" : ", which comes") + " from the application's"
                    + " configuration; remove it from portal.catalog.locations instead");
        }
        if (ref != null) {
            EntityRef wanted = ref;
            List<String> others = entities.stream().map(StoredEntity::ref).filter(other -> !other.equals(wanted))
                    .map(EntityRef::canonical).toList();
            if (location.flatMap(Location::parent).isPresent()) {
                // its parent's next refresh would register it again, and the entity with it
                throw new ActionException(SHARED_LOCATION, wanted.canonical() + " is read from " + location.get().spec()
                        + ", which another location names; remove the target from that location instead");
            }
            if (!others.isEmpty()) {
                throw new ActionException(SHARED_LOCATION, wanted.canonical() + " is read from " + location.get().spec()
                        + ", which also describes " + others + "; remove it from that file instead");
            }
        }
        if (context.dryRun() || Boolean.TRUE.equals(input.checkOnly())) {
            context.log().info((context.dryRun() ? "Dry run: would remove " : "Could remove ")
                    + entities.stream().map(e -> e.ref().canonical()).toList()
                    + location.map(found -> " and location " + found.spec()).orElse(""));
            return new Output(entities.stream().map(e -> e.ref().canonical()).toList(), location.map(l -> l.spec().ref()).orElse(""));
        }
        location.ifPresent(found -> catalog.removeLocation(found.id()));
        if (location.isEmpty() && ref != null) {
            catalog.entities().byRef(ref).ifPresent(stored -> catalog.deleteEntity(stored.uid()));
        }
        List<String> removed = entities.stream().filter(stored -> catalog.deleteEntity(stored.uid()))
                .map(stored -> stored.ref().canonical()).toList();
        if (location.isEmpty() && ref != null) {
            removed = List.of(ref.canonical());
        }
        context.log().info("Removed " + removed + location.map(found -> " and the location " + found.spec()).orElse("")
                + " from the catalog");
        return new Output(removed, location.map(found -> found.spec().ref()).orElse(""));
    }
}
