package dev.portal.web;

import java.io.IOException;

/**
 * A request body grew past {@code portal.catalog.api.max-request-size} while it was read. An
 * {@link IOException} so that it travels out of the JSON reader; the advice finds it in the cause
 * chain and answers 413.
 */
class RequestTooLargeException extends IOException {

    RequestTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes (portal.catalog.api.max-request-size)");
    }
}
