package dev.portal.web;

import org.springframework.http.HttpStatus;

/**
 * A request to the catalog API that cannot be served, with the Backstage error it is answered with
 * ({@code error.name} and status). Thrown by the controllers and by {@link AuthorizedCatalog}; the
 * one {@code @RestControllerAdvice} writes the body.
 */
public class CatalogApiException extends RuntimeException {

    /** Backstage's error names and their statuses. */
    public enum Kind {
        INPUT(HttpStatus.BAD_REQUEST, "InputError"),
        AUTHENTICATION(HttpStatus.UNAUTHORIZED, "AuthenticationError"),
        NOT_ALLOWED(HttpStatus.FORBIDDEN, "NotAllowedError"),
        NOT_FOUND(HttpStatus.NOT_FOUND, "NotFoundError"),
        METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "MethodNotAllowedError"),
        CONFLICT(HttpStatus.CONFLICT, "ConflictError"),
        PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE, "PayloadTooLargeError"),
        UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaTypeError"),
        SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailableError");

        private final HttpStatus status;
        private final String errorName;

        Kind(HttpStatus status, String errorName) {
            this.status = status;
            this.errorName = errorName;
        }

        public HttpStatus status() {
            return status;
        }

        public String errorName() {
            return errorName;
        }
    }

    private final Kind kind;

    public CatalogApiException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static CatalogApiException input(String message) {
        return new CatalogApiException(Kind.INPUT, message);
    }

    public static CatalogApiException notFound(String message) {
        return new CatalogApiException(Kind.NOT_FOUND, message);
    }

    public static CatalogApiException conflict(String message) {
        return new CatalogApiException(Kind.CONFLICT, message);
    }
}
