package dev.portal.web;

import dev.portal.error.AuthenticationRequiredException;
import dev.portal.error.ConflictException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotAllowedException;
import dev.portal.error.NotFoundException;
import dev.portal.error.PortalException;
import dev.portal.error.UnavailableException;
import org.springframework.http.HttpStatus;

/**
 * The HTTP status of each kind of {@link PortalException} and Backstage's error name for each status
 * ({@code error.name} in its error body, which Backstage's clients switch on). The REST API and the
 * web pages both answer through this one mapping.
 */
public final class PortalErrorStatus {

    private PortalErrorStatus() {
    }

    /** 400, 401, 403, 404, 409 or 503 by kind; 500 for a kind this mapping does not know. */
    public static HttpStatus of(PortalException e) {
        return switch (e) {
            case InvalidInputException ignored -> HttpStatus.BAD_REQUEST;
            case AuthenticationRequiredException ignored -> HttpStatus.UNAUTHORIZED;
            case NotAllowedException ignored -> HttpStatus.FORBIDDEN;
            case NotFoundException ignored -> HttpStatus.NOT_FOUND;
            case ConflictException ignored -> HttpStatus.CONFLICT;
            case UnavailableException ignored -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** Backstage's error name for a status: {@code InputError}, {@code NotFoundError}, ... or {@code Error}. */
    public static String errorName(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "InputError";
            case UNAUTHORIZED -> "AuthenticationError";
            case FORBIDDEN -> "NotAllowedError";
            case NOT_FOUND -> "NotFoundError";
            case METHOD_NOT_ALLOWED -> "MethodNotAllowedError";
            case CONFLICT -> "ConflictError";
            case PAYLOAD_TOO_LARGE -> "PayloadTooLargeError";
            case UNSUPPORTED_MEDIA_TYPE -> "UnsupportedMediaTypeError";
            case SERVICE_UNAVAILABLE -> "ServiceUnavailableError";
            default -> "Error";
        };
    }
}
