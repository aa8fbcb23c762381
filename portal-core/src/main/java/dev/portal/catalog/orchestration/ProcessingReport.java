package dev.portal.catalog.orchestration;

import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.ProcessingError;

import java.util.List;

/**
 * What one processing pass over a location did.
 *
 * @param location the location processed
 * @param unchanged whether the source was the same as at the last clean pass (nothing else was done)
 * @param stored the entities the location emits now and the catalog holds for it
 * @param created how many of them are new
 * @param updated how many changed
 * @param orphaned how many entities were marked orphaned because the location no longer emits them
 * @param errors problems found: unreadable source, bad documents, invalid entities, conflicts
 * @param newLocations locations this pass discovered through Location entities
 */
public record ProcessingReport(Location location, boolean unchanged, List<EntityRef> stored, int created,
                               int updated, int orphaned, List<ProcessingError> errors,
                               List<Location> newLocations) {

    public ProcessingReport {
        stored = List.copyOf(stored);
        errors = List.copyOf(errors);
        newLocations = List.copyOf(newLocations);
    }
}
