package dev.portal.catalog.model;

import dev.portal.error.InvalidInputException;

import java.util.Optional;

/**
 * The one rule for text the catalog stores, matches or reports: no control characters except tab,
 * line feed and carriage return. PostgreSQL's {@code text} cannot hold U+0000 at all, and the
 * filter terms use U+001E and U+001F as separators, so a string holding one of these would fail
 * to store or match something it should not. YAML and JSON allow such characters only through an
 * escape ({@code "\0"}, {@code "\u001f"}): nobody types them by accident.
 *
 * <p>Every kind of input checks its strings against this rule where it enters: descriptors in
 * {@code EntityValidator} (a problem on the entity, naming the field), query input where it is
 * parsed (filters, predicates, orders, cursors, full-text), entity refs and location specs when
 * they are made.
 */
public final class CatalogText {

    private CatalogText() {
    }

    /** Why {@code text} breaks the rule (which character, where), or empty if it does not. */
    public static Optional<String> problem(String text) {
        int at = firstForbidden(text);
        if (at < 0) {
            return Optional.empty();
        }
        return Optional.of("contains the control character " + codePoint(text.charAt(at)) + " at position " + (at + 1)
                + "; only tab, line feed and carriage return are allowed");
    }

    /** Whether {@code text} (which may be {@code null}) follows the rule; the check on hot paths. */
    public static boolean isStorable(String text) {
        return firstForbidden(text) < 0;
    }

    private static int firstForbidden(String text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (isForbidden(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Checks one string of the caller's input.
     *
     * @param what names the input for the message, e.g. {@code filter key} or {@code fullTextFilterTerm}
     * @throws InvalidInputException naming {@code what}, the character and the rule
     */
    public static String require(String what, String text) {
        problem(text).ifPresent(problem -> {
            throw new InvalidInputException(what + " " + problem);
        });
        return text;
    }

    /**
     * {@code text} with every control character but tab, line feed and carriage return written as
     * {@code \}{@code uXXXX}: safe to put into a message that is stored or logged.
     */
    public static String escaped(String text) {
        if (isStorable(text)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isForbidden(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    // Character.isISOControl: U+0000-U+001F and U+007F-U+009F.
    private static boolean isForbidden(char c) {
        return c < ' ' ? c != '\t' && c != '\n' && c != '\r' : c >= '\u007f' && c <= '\u009f';
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
