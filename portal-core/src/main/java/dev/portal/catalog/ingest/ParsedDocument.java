package dev.portal.catalog.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One document of a descriptor source, as read by {@link DescriptorParser}: either a mapping ready
 * for validation or the reason it could not be read. Documents are numbered from 1 in the order
 * they appear in the source, empty ones included, so that "document 3" is the third {@code ---}
 * section a person counts in the file.
 */
public sealed interface ParsedDocument {

    /** The source the document came from, e.g. a file name or URL. */
    String source();

    /** The document's position in the source, starting at 1. */
    int index();

    /** How problems about this document name it: {@code catalog-info.yaml, document 2}. */
    default String subject() {
        return source() + ", document " + index();
    }

    /**
     * A document that reads as a mapping. It is not validated yet.
     *
     * @param source the source the document came from
     * @param index the document's position in the source, starting at 1
     * @param json the document; callers own it and may change it
     */
    record Parsed(String source, int index, ObjectNode json) implements ParsedDocument {

        public Parsed {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(json, "json");
        }
    }

    /**
     * A document that could not be read: a syntax error, an unsupported tag, a duplicate key, or
     * something other than a mapping. The other documents of the source are unaffected.
     *
     * @param source the source the document came from
     * @param index the document's position in the source, starting at 1
     * @param message what is wrong, with line and column where the parser knows them
     */
    record Failed(String source, int index, String message) implements ParsedDocument {

        public Failed {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(message, "message");
        }
    }
}
