package dev.portal.catalog.query;

import java.util.List;
import java.util.Optional;

/**
 * One page of a cursor-paged query.
 *
 * @param items the page, in query order
 * @param totalItems how many entities match the query in all (regardless of paging)
 * @param nextCursor the cursor of the following page, absent on the last page
 * @param prevCursor the cursor of the preceding page, absent on the first page
 * @param <T> the item type
 */
public record EntityPage<T>(List<T> items, long totalItems, Optional<String> nextCursor,
                            Optional<String> prevCursor) {

    public EntityPage {
        items = List.copyOf(items);
    }
}
