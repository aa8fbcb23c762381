package dev.portal.catalog.ingest;

import java.util.Objects;

/**
 * What a {@link LocationReader} read.
 *
 * @param version identifies this state of the source (a git commit id, a content hash)
 * @param content the descriptor bytes, or {@code null} when the source is unchanged since the
 *     version the caller already knew
 */
public record SourceContent(String version, byte[] content) {

    public SourceContent {
        Objects.requireNonNull(version, "version");
    }

    public static SourceContent unchanged(String version) {
        return new SourceContent(version, null);
    }

    public boolean isUnchanged() {
        return content == null;
    }
}
