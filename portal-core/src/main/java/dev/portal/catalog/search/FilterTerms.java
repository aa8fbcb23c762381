package dev.portal.catalog.search;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The filter terms of an entity, derived from its search rows: {@code key<US>value} for each row
 * with a value and {@code key} for each key, where US is U+001F. Stored in one GIN-indexed array
 * per entity, they turn "has this key" and "has this key with one of these values" into index
 * look-ups that combine cheaply. Both sides build terms here, so a filter and the stored terms can
 * never disagree on the format.
 */
public final class FilterTerms {

    /** Separates key and value inside a term. */
    static final char KEY_VALUE = '\u001f';
    /** Separates terms when a whole array travels as one string. */
    static final char BETWEEN_TERMS = '\u001e';

    private FilterTerms() {
    }

    /** The term matching entities that have {@code key} with {@code value} (both lower-cased already). */
    public static String of(String key, String value) {
        return key + KEY_VALUE + value;
    }

    /** The term matching entities that have {@code key}, with any value. */
    public static String of(String key) {
        return key;
    }

    /** The distinct terms of these search rows. */
    public static Set<String> of(Collection<SearchRow> rows) {
        Set<String> terms = new LinkedHashSet<>();
        for (SearchRow row : rows) {
            if (usable(row.key())) {
                terms.add(of(row.key()));
                if (row.value() != null && usable(row.value())) {
                    terms.add(of(row.key(), row.value()));
                }
            }
        }
        return terms;
    }

    /**
     * These rows' terms as one string, for shipping many arrays in one statement
     * ({@code string_to_array(?, chr(30))} on the database side).
     */
    public static String joined(Collection<SearchRow> rows) {
        return String.join(String.valueOf(BETWEEN_TERMS), of(rows));
    }

    /** The separator {@link #joined} uses. */
    public static String separator() {
        return String.valueOf(BETWEEN_TERMS);
    }

    /** Keys and values holding a separator cannot be told apart from two terms; they are left out. */
    private static boolean usable(String text) {
        return text.indexOf(KEY_VALUE) < 0 && text.indexOf(BETWEEN_TERMS) < 0;
    }
}
