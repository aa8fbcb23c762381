package dev.portal.catalog.ingest;

import dev.portal.catalog.model.LocationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reading a descriptor without ever holding more than the size limit in memory. */
final class BoundedRead {

    private BoundedRead() {
    }

    static byte[] readAtMost(InputStream in, int maxBytes, LocationSpec location) throws IOException {
        byte[] content = in.readNBytes(maxBytes + 1);
        if (content.length > maxBytes) {
            throw new LocationReadException(location, "the descriptor is larger than " + maxBytes
                    + " bytes, the limit for one descriptor file (ParserLimits.maxBytes)");
        }
        return content;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
