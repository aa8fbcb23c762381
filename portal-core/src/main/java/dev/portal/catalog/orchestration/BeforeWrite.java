package dev.portal.catalog.orchestration;

import java.util.Set;

/**
 * The last word of whoever asked for a processing pass, once the source has been read and before
 * anything is written: a registration through the API uses it to ask the permission policy about
 * the kinds the location holds, and to refuse a source that cannot be read at all instead of
 * storing a location that never could be. Throwing abandons the pass: nothing is written.
 */
public interface BeforeWrite {

    /** Nothing to check: the pass records whatever it found. */
    BeforeWrite NOTHING = kinds -> { };

    /** The source was read; {@code kinds} are the lower-case kinds of its valid entities. */
    void read(Set<String> kinds);

    /**
     * The source could not be read (missing, unreachable, not a regular file, too large, broken
     * beyond one document); {@code problem} says why. By default the problem is recorded on the
     * location like any pass's.
     */
    default void unreadable(String problem) {
    }
}
