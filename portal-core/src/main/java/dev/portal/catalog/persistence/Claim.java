package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Location;

import java.util.Objects;
import java.util.UUID;

/**
 * A location a worker claimed for one processing pass: nobody else claims it until the lease ends,
 * and the pass's result is written only while {@link #token()} is still the location's.
 *
 * @param location the location as claimed
 * @param token proves the claim when the result is written
 * @param cleanSourceVersion the source version of the last pass without problems, or {@code null}:
 *     a reader that still sees it may skip the transfer
 */
public record Claim(Location location, UUID token, String cleanSourceVersion) {

    public Claim {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(token, "token");
    }
}
