package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

import java.util.Optional;

/**
 * A location's source, opened for one processing pass: the descriptor, and what the pass needs
 * beside it while it reads (the targets of nested locations, the files of {@code $text},
 * {@code $json} and {@code $yaml} substitutions). A git location keeps the commit it fetched until
 * the pass closes it, so a substitution next to the descriptor is a blob of that commit, not another
 * fetch. Opened and closed in the pass's read phase: no transaction or connection is held meanwhile.
 */
public interface SourceSnapshot extends AutoCloseable {

    /** What was read: the descriptor, or that it is unchanged since the version the pass knew. */
    SourceContent content();

    /**
     * Resolves a target written in the descriptor (relative to it, or absolute) to a location of the
     * same type.
     *
     * @throws LocationReadException if the target is malformed or escapes where the descriptor may point
     */
    LocationSpec resolve(String target);

    /**
     * Reads {@code spec} from what this snapshot already holds (a sibling blob of the fetched commit),
     * or answers empty when {@code spec} is elsewhere and must be read by its own reader.
     *
     * @throws LocationReadException if the snapshot holds the place but the file is missing or too large
     */
    default Optional<byte[]> readHeld(LocationSpec spec) {
        return Optional.empty();
    }

    /** Releases what the snapshot holds (a scratch repository); never throws. */
    @Override
    void close();

    /** A snapshot holding nothing but what {@code reader} read: relative targets resolve through the reader. */
    static SourceSnapshot of(LocationReader reader, LocationSpec location, SourceContent content) {
        return new SourceSnapshot() {
            @Override
            public SourceContent content() {
                return content;
            }

            @Override
            public LocationSpec resolve(String target) {
                return reader.resolve(location, target);
            }

            @Override
            public void close() {
            }
        };
    }
}
