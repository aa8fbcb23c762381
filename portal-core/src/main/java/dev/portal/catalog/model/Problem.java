package dev.portal.catalog.model;

/**
 * Something wrong with an entity or a document, as data: which item, which field, which rule.
 * Problems travel with the entity instead of aborting a batch; one bad entity never blocks the good
 * ones next to it.
 *
 * @param subject what the problem is about: an entity ref ({@code component:default/x}) or, when
 *     there is no usable ref, the document ({@code catalog-info.yaml, document 2})
 * @param field the dotted path of the offending field ({@code metadata.name}), or {@code null} for
 *     the document as a whole
 * @param message what is wrong and which rule it breaks, written for the person who edits the file
 */
public record Problem(String subject, String field, String message) {

    /** One line a user can act on: {@code component:default/x: metadata.name 'a b' must match ...}. */
    public String describe() {
        return field == null ? subject + ": " + message : subject + ": " + field + " " + message;
    }

    @Override
    public String toString() {
        return describe();
    }
}
