package dev.portal.catalog.ingest;

import dev.portal.error.InvalidInputException;

/**
 * A descriptor source rejected as a whole because it breaks one of the {@link ParserLimits}: too
 * large, too many documents, nested too deeply, or expanding aliases beyond what any real
 * descriptor needs. The message names the source and the limit.
 */
public class DescriptorException extends InvalidInputException {

    private final String source;

    public DescriptorException(String source, String message) {
        super(message);
        this.source = source;
    }

    /** The rejected source, as passed to {@link DescriptorParser#parse(String, byte[])}. */
    public String source() {
        return source;
    }
}
