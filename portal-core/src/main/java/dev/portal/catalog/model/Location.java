package dev.portal.catalog.model;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * A registered or discovered location and its refresh state.
 *
 * @param id stable id, as served by the locations API
 * @param spec type and target
 * @param origin how the location came to be
 * @param parentId for {@link Origin#ENTITY} locations, the location whose Location entity names it
 * @param lastRefreshAt when it was last processed, or {@code null} if never
 * @param lastError a summary of what went wrong the last time, or {@code null}
 * @param trusted whether entities read from here may define people and teams (User and Group
 *     entities): set for configured locations the host trusts; never for API or Scaffolder
 *     registrations. Nested locations ({@link Origin#ENTITY}) take the trust of their registration.
 */
public record Location(UUID id, LocationSpec spec, Origin origin, UUID parentId, OffsetDateTime createdAt,
                       OffsetDateTime lastRefreshAt, String lastError, boolean trusted) {

    /** How a location came into the catalog. */
    public enum Origin {
        /** Registered through the API (or the facade) by a user. */
        API,
        /** Listed in the host application's configuration. */
        CONFIG,
        /** Named by the {@code spec.target(s)} of a Location entity read from another location. */
        ENTITY,
        /**
         * Registered by a Scaffolder run for a repository the portal published itself: read without
         * the API fences, but not configuration and not trusted with people and teams.
         */
        SCAFFOLDER;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Origin ofCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public String type() {
        return spec.type();
    }

    public String target() {
        return spec.target();
    }

    public Optional<UUID> parent() {
        return Optional.ofNullable(parentId);
    }
}
