package dev.portal.catalog;

import dev.portal.catalog.ingest.ParserLimits;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.query.QueryLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How the catalog processes locations.
 *
 * @param strictReferences whether an entity whose refs (owner, system, dependsOn, ...) point at
 *     entities that do not exist is rejected instead of stored with dangling relations
 * @param refreshInterval how long after processing a location it is read again
 * @param parserLimits limits on descriptor size, nesting, aliases and document count
 * @param maxLocationsPerRegistration how many nested locations registering one location processes
 *     at once; deeper ones are picked up by the refresh loop
 * @param apiLocationPolicy which locations users may register through the API ({@link
 *     Location.Origin#API}); also applied to every location nested in those. Locations from
 *     configuration are trusted.
 * @param maxNestedLocations how many locations the Location entities of one location may name
 *     together; the targets past it are refused with a processing error
 * @param maxLocationsPerTree how many locations one registration may lead to, itself and every
 *     location nested below it counted; further nested locations are refused with a processing error
 * @param queryLimits how much one read of the catalog may ask of the database: sizes of filters,
 *     facets, projections and by-refs requests, and the statement timeout
 * @param claimLease how long a worker holds a location it claimed before another may claim it: longer
 *     than the slowest read (the readers' timeout) plus the write; a worker that dies delays that
 *     location's refresh by at most this
 */
public record CatalogSettings(boolean strictReferences, Duration refreshInterval, ParserLimits parserLimits,
                              int maxLocationsPerRegistration, LocationPolicy apiLocationPolicy,
                              int maxNestedLocations, int maxLocationsPerTree, QueryLimits queryLimits,
                              Duration claimLease) {

    public CatalogSettings {
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        Objects.requireNonNull(parserLimits, "parserLimits");
        Objects.requireNonNull(apiLocationPolicy, "apiLocationPolicy");
        Objects.requireNonNull(queryLimits, "queryLimits");
        Objects.requireNonNull(claimLease, "claimLease");
        if (claimLease.isNegative() || claimLease.isZero()) {
            throw new IllegalArgumentException("claimLease must be positive, was " + claimLease);
        }
        if (refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("refreshInterval must be positive, was " + refreshInterval);
        }
        if (maxNestedLocations < 0 || maxLocationsPerTree < 1) {
            throw new IllegalArgumentException("maxNestedLocations must not be negative and maxLocationsPerTree must"
                    + " be positive, were " + maxNestedLocations + " and " + maxLocationsPerTree);
        }
    }

    /**
     * Lenient references, refresh every 3 minutes, default parser and query limits, every location
     * allowed, at most 100 locations named by one location and 1,000 locations per registration, claims
     * held 5 minutes.
     */
    public static CatalogSettings defaults() {
        return new CatalogSettings(false, Duration.ofMinutes(3), ParserLimits.defaults(), 100,
                LocationPolicy.allowAll(), 100, 1_000, QueryLimits.defaults(), Duration.ofMinutes(5));
    }

    public CatalogSettings withStrictReferences(boolean strict) {
        return new CatalogSettings(strict, refreshInterval, parserLimits, maxLocationsPerRegistration, apiLocationPolicy,
                maxNestedLocations, maxLocationsPerTree, queryLimits, claimLease);
    }

    public CatalogSettings withRefreshInterval(Duration interval) {
        return new CatalogSettings(strictReferences, interval, parserLimits, maxLocationsPerRegistration,
                apiLocationPolicy, maxNestedLocations, maxLocationsPerTree, queryLimits, claimLease);
    }

    public CatalogSettings withParserLimits(ParserLimits limits) {
        return new CatalogSettings(strictReferences, refreshInterval, limits, maxLocationsPerRegistration,
                apiLocationPolicy, maxNestedLocations, maxLocationsPerTree, queryLimits, claimLease);
    }

    public CatalogSettings withMaxLocationsPerRegistration(int max) {
        return new CatalogSettings(strictReferences, refreshInterval, parserLimits, max, apiLocationPolicy,
                maxNestedLocations, maxLocationsPerTree, queryLimits, claimLease);
    }

    public CatalogSettings withApiLocationPolicy(LocationPolicy policy) {
        return new CatalogSettings(strictReferences, refreshInterval, parserLimits, maxLocationsPerRegistration,
                policy, maxNestedLocations, maxLocationsPerTree, queryLimits, claimLease);
    }

    /** @param perLocation see {@link #maxNestedLocations()}; @param perTree see {@link #maxLocationsPerTree()} */
    public CatalogSettings withNestedLocationLimits(int perLocation, int perTree) {
        return new CatalogSettings(strictReferences, refreshInterval, parserLimits, maxLocationsPerRegistration,
                apiLocationPolicy, perLocation, perTree, queryLimits, claimLease);
    }

    public CatalogSettings withQueryLimits(QueryLimits limits) {
        return new CatalogSettings(strictReferences, refreshInterval, parserLimits, maxLocationsPerRegistration,
                apiLocationPolicy, maxNestedLocations, maxLocationsPerTree, limits, claimLease);
    }

    public CatalogSettings withClaimLease(Duration lease) {
        return new CatalogSettings(strictReferences, refreshInterval, parserLimits, maxLocationsPerRegistration,
                apiLocationPolicy, maxNestedLocations, maxLocationsPerTree, queryLimits, lease);
    }
}
