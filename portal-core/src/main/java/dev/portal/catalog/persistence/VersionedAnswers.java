package dev.portal.catalog.persistence;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers of reads that cost time in proportion to the catalog (facet counts, the totals of
 * queries), kept under the catalog version they were read at (see {@code V1_8__catalog_version.sql}).
 * An answer is handed out only to a reader that found the version unchanged, so it is exactly what
 * running the read again would return: no answer outlives a write, because every write moves the
 * version in its own transaction, before it is acknowledged.
 *
 * <p>Bounded by weight (the number of values kept, summed over the answers), least recently used
 * first out, so callers' filters cannot make it grow without bound.
 */
final class VersionedAnswers {

    private record Kept(long version, Object answer, int weight) {
    }

    private final int maxWeight;
    private final LinkedHashMap<Object, Kept> kept = new LinkedHashMap<>(64, 0.75f, true);
    private int weight;

    VersionedAnswers(int maxWeight) {
        this.maxWeight = maxWeight;
    }

    /** The answer kept for {@code key} at exactly {@code version}, or {@code null}. */
    @SuppressWarnings("unchecked")
    synchronized <T> T get(Object key, long version) {
        Kept found = kept.get(key);
        return found != null && found.version() == version ? (T) found.answer() : null;
    }

    /**
     * Keeps {@code answer}, read at {@code version}, unless a newer one is kept already (two readers
     * may race; the later version wins whatever order they finish in).
     */
    synchronized void put(Object key, long version, Object answer, int answerWeight) {
        int w = Math.max(1, answerWeight);
        if (w > maxWeight) {
            return;
        }
        Kept previous = kept.get(key);
        if (previous != null) {
            if (previous.version() > version) {
                return;
            }
            weight -= previous.weight();
        }
        kept.put(key, new Kept(version, answer, w));
        weight += w;
        Iterator<Map.Entry<Object, Kept>> eldest = kept.entrySet().iterator();
        while (weight > maxWeight && eldest.hasNext()) {
            weight -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }

    synchronized int size() {
        return kept.size();
    }
}
