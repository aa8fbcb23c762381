package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import org.jooq.DSLContext;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Locations, their refresh state and the problems found while processing them. Every method runs
 * on the {@link DSLContext} it was made with: pass a transaction's context to make calls atomic.
 */
public interface LocationStore {

    static LocationStore jooq(DSLContext dsl) {
        return new JooqLocationStore(dsl);
    }

    /** Adds a location due for processing now; an existing one with the same type and target is returned as is. */
    Location add(LocationSpec spec, Location.Origin origin, UUID parentId);

    /**
     * Makes {@code spec} a location from configuration ({@link Location.Origin#CONFIG}), due for
     * processing now if it is new: adds it, or turns the location registered with the same type and
     * target into a configured one, with {@code trusted} as given.
     */
    Location configure(LocationSpec spec, boolean trusted);

    Optional<Location> find(UUID id);

    Optional<Location> find(LocationSpec spec);

    /** All locations, oldest first. */
    List<Location> list();

    /** The locations named by Location entities read from {@code parentId}. */
    List<Location> children(UUID parentId);

    /** {@code id} and every location below it (children, their children, ...). */
    List<UUID> withDescendants(UUID id);

    /** Deletes the location and, through the schema, the locations below it. */
    boolean delete(UUID id);

    /** Deletes these locations (and those below them). */
    int delete(Collection<UUID> ids);

    /**
     * Claims the location that is due the longest (due at or before {@code dueBy}) for one pass:
     * moves its next refresh {@code lease} ahead, so no other worker claims it meanwhile, and gives it
     * a new claim token. Rows another worker is claiming at this instant are skipped. Runs as one
     * statement: call it outside any transaction, and process the claim with no transaction open.
     */
    Optional<Claim> claimDue(OffsetDateTime dueBy, Duration lease);

    /**
     * Claims this location now, whoever holds it: a refresh somebody asked for overtakes a pass
     * already under way, whose result will then be refused ({@link #holds}).
     */
    Optional<Claim> claim(UUID id, Duration lease);

    /**
     * Whether {@code token} is still the location's claim, locking its row until the surrounding
     * transaction ends: the check a pass makes before it writes. Must run inside a transaction.
     */
    boolean holds(UUID id, UUID token);

    /** Locks this location's row (waiting for a worker that holds it). Must run inside a transaction. */
    Optional<Location> lock(UUID id);

    /** Makes the location due now, to be processed in full even if its source did not change. */
    void requestRefresh(UUID id);

    /**
     * Records a processing pass: when it ran, when the next is due, what went wrong, what source it
     * saw; ends the claim.
     */
    void recordRefresh(UUID id, Duration nextIn, String error, String sourceVersion);

    /** The source version of the last processing pass that had no problems, if any. */
    Optional<String> cleanSourceVersion(UUID id);

    /** Replaces the location's processing errors with these. */
    void replaceErrors(UUID locationId, List<ProcessingError> errors);

    List<ProcessingError> errors(UUID locationId);

    /** The errors of every location that has any, by location, each list in the order they were found. */
    Map<UUID, List<ProcessingError>> errorsByLocation();

    /** Errors that name this entity ref (lower-cased {@code kind:namespace/name}). */
    List<ProcessingError> errorsForEntity(String entityRef);

    /** Every stored processing error, newest first, at most {@code limit}. */
    List<ProcessingError> allErrors(int limit);
}
