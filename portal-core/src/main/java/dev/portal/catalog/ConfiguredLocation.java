package dev.portal.catalog;

import dev.portal.catalog.model.LocationSpec;

import java.util.Objects;

/**
 * A location listed in the host application's configuration.
 *
 * @param spec type and target
 * @param trusted whether its entities (and those of the locations it names) may define people and
 *     teams: User and Group entities, whose memberships decide who approves what
 */
public record ConfiguredLocation(LocationSpec spec, boolean trusted) {

    public ConfiguredLocation {
        Objects.requireNonNull(spec, "spec");
    }
}
