package dev.portal.catalog.ingest;

/**
 * How much a single descriptor source may ask of the parser. A source that breaks one of these
 * limits is rejected as a whole with a {@link DescriptorException}: it is either hostile or broken
 * beyond what a person should fix one entity at a time.
 *
 * @param maxBytes the size of one source in bytes, and the most characters its keys and scalars may
 *     add up to once aliases are expanded (an alias to a scalar counts the scalar's text again
 *     each time it is used), so that a small file cannot expand into a large entity
 * @param maxDocuments the number of YAML documents ({@code ---}) in one source
 * @param maxAliases how many aliases to collections one document may use; aliases to scalars are
 *     free, since they cannot multiply the size of the result
 * @param maxDepth how deeply collections may nest, counted from the document root
 * @param maxNodes how many values (scalars, lists, mappings) one source may expand to, aliases
 *     counted every time they are used; the backstop against alias expansion that stays under
 *     {@code maxAliases}
 * @param maxSubstitutions how many {@code $text}, {@code $json} and {@code $yaml} substitutions one source
 *     may make; each is a read, and what they bring in counts against {@code maxBytes} with the source's
 *     own size, and against {@code maxDepth} from where it is put
 */
public record ParserLimits(int maxBytes, int maxDocuments, int maxAliases, int maxDepth, int maxNodes,
                           int maxSubstitutions) {

    public ParserLimits {
        requirePositive(maxBytes, "maxBytes");
        requirePositive(maxDocuments, "maxDocuments");
        if (maxAliases < 0) {
            throw new IllegalArgumentException("maxAliases must not be negative");
        }
        requirePositive(maxDepth, "maxDepth");
        requirePositive(maxNodes, "maxNodes");
        if (maxSubstitutions < 0) {
            throw new IllegalArgumentException("maxSubstitutions must not be negative");
        }
    }

    /**
     * 2 MiB per source, 10,000 documents, 20 collection aliases per document, collections nested 64
     * deep, one million values per source, 100 substitutions per source. Real descriptors stay far below
     * each of these.
     */
    public static ParserLimits defaults() {
        return new ParserLimits(2 * 1024 * 1024, 10_000, 20, 64, 1_000_000, 100);
    }

    public ParserLimits withMaxBytes(int bytes) {
        return new ParserLimits(bytes, maxDocuments, maxAliases, maxDepth, maxNodes, maxSubstitutions);
    }

    public ParserLimits withMaxDocuments(int documents) {
        return new ParserLimits(maxBytes, documents, maxAliases, maxDepth, maxNodes, maxSubstitutions);
    }

    public ParserLimits withMaxAliases(int aliases) {
        return new ParserLimits(maxBytes, maxDocuments, aliases, maxDepth, maxNodes, maxSubstitutions);
    }

    public ParserLimits withMaxDepth(int depth) {
        return new ParserLimits(maxBytes, maxDocuments, maxAliases, depth, maxNodes, maxSubstitutions);
    }

    public ParserLimits withMaxNodes(int nodes) {
        return new ParserLimits(maxBytes, maxDocuments, maxAliases, maxDepth, nodes, maxSubstitutions);
    }

    public ParserLimits withMaxSubstitutions(int substitutions) {
        return new ParserLimits(maxBytes, maxDocuments, maxAliases, maxDepth, maxNodes, substitutions);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
