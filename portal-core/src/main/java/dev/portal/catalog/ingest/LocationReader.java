package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

/**
 * Reads the descriptor file a location points at. One reader per location type; host code can add
 * its own types by implementing this.
 */
public interface LocationReader {

    /** The location type handled, e.g. {@code file} or {@code url}. */
    String type();

    /**
     * Reads the location's descriptor.
     *
     * @param knownVersion the source version seen at the last clean processing, or {@code null};
     *     when the source still has that version the reader may answer {@link SourceContent#unchanged}
     *     without transferring it
     * @throws LocationReadException if the source cannot be read (missing, unreachable, too large)
     */
    SourceContent read(LocationSpec location, String knownVersion);

    /**
     * Resolves the {@code spec.target} of a Location entity read from {@code base}: relative targets
     * are relative to the descriptor's folder.
     *
     * @throws LocationReadException if the target is malformed or escapes where {@code base} may point
     */
    LocationSpec resolve(LocationSpec base, String target);

    /**
     * Opens the location for one processing pass: reads the descriptor as {@link #read} does and keeps
     * what resolving and reading beside it needs until the snapshot is closed. The default holds
     * nothing and resolves through {@link #resolve}.
     *
     * @throws LocationReadException if the source cannot be read
     */
    default SourceSnapshot open(LocationSpec location, String knownVersion) {
        return SourceSnapshot.of(this, location, read(location, knownVersion));
    }

    /**
     * Whether only the application's configuration may name locations of this type (a directory, a
     * discovery): a Location entity read from a location of another type may not.
     */
    default boolean configurationOnly() {
        return false;
    }
}
