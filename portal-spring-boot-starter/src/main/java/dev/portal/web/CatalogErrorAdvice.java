package dev.portal.web;

import dev.portal.catalog.LocationNotAllowedException;
import dev.portal.catalog.ingest.DescriptorException;
import dev.portal.catalog.ingest.LocationReadException;
import dev.portal.error.InvalidInputException;
import dev.portal.error.UnavailableException;
import dev.portal.web.model.BackstageError;
import dev.portal.web.model.ValidateEntityErrors;
import dev.portal.web.model.ValidationProblem;
import jakarta.servlet.http.HttpServletRequest;
import dev.portal.approval.ApprovalException;
import dev.portal.scaffolder.ScaffolderException;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.template.InvalidParametersException;
import dev.portal.scaffolder.template.TemplateException;
import org.slf4j.Logger;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place where failures of the catalog API become HTTP answers: Backstage's error body
 * ({@code InputError} 400, {@code AuthenticationError} 401, {@code NotAllowedError} 403,
 * {@code NotFoundError} 404, {@code ConflictError} 409, {@code PayloadTooLargeError} 413) with
 * {@code Content-Type: application/json}, also for Spring's own failures (unreadable JSON, type
 * mismatches, wrong methods). Scoped to the catalog controllers so a host application's own
 * controllers and advice are untouched.
 */
@RestControllerAdvice(assignableTypes = {CatalogEntitiesController.class, CatalogLocationsController.class,
        CatalogFallbackController.class, ScaffolderController.class, ApprovalsController.class})
public class CatalogErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(CatalogErrorAdvice.class);

    @ExceptionHandler(CatalogApiException.class)
    ResponseEntity<BackstageError> catalogApi(CatalogApiException e, HttpServletRequest request) {
        return error(e.kind(), e.getMessage(), request);
    }

    @ExceptionHandler(InvalidEntityException.class)
    ResponseEntity<ValidateEntityErrors> invalidEntity(InvalidEntityException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new ValidateEntityErrors(e.problems().stream()
                        .map(problem -> new ValidationProblem("InputError", problem.describe())).toList()));
    }

    @ExceptionHandler(ScaffolderException.class)
    ResponseEntity<BackstageError> scaffolder(ScaffolderException e, HttpServletRequest request) {
        CatalogApiException.Kind kind = switch (e.reason()) {
            case NOT_FOUND -> CatalogApiException.Kind.NOT_FOUND;
            case CONFLICT -> CatalogApiException.Kind.CONFLICT;
            case FORBIDDEN -> CatalogApiException.Kind.NOT_ALLOWED;
            case ENGINE_UNAVAILABLE -> CatalogApiException.Kind.SERVICE_UNAVAILABLE;
        };
        if (kind == CatalogApiException.Kind.SERVICE_UNAVAILABLE) {
            log.warn("Scaffolder request {} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        }
        return error(kind, e.getMessage(), request);
    }

    @ExceptionHandler(ApprovalException.class)
    ResponseEntity<BackstageError> approval(ApprovalException e, HttpServletRequest request) {
        CatalogApiException.Kind kind = switch (e.reason()) {
            case NOT_FOUND -> CatalogApiException.Kind.NOT_FOUND;
            case FORBIDDEN -> CatalogApiException.Kind.NOT_ALLOWED;
            case CONFLICT -> CatalogApiException.Kind.CONFLICT;
            case ENGINE_UNAVAILABLE -> CatalogApiException.Kind.SERVICE_UNAVAILABLE;
        };
        return error(kind, e.getMessage(), request);
    }

    /** Values that break a template's schema, unusable templates, skeletons refused by the renderer. */
    @ExceptionHandler({InvalidParametersException.class, TemplateException.class, ActionInputException.class})
    ResponseEntity<BackstageError> scaffolderInput(RuntimeException e, HttpServletRequest request) {
        return error(CatalogApiException.Kind.INPUT, e.getMessage(), request);
    }

    // Until the one mapping of PortalException (issue 12) lands: the kinds the catalog's input checks throw.
    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<BackstageError> invalidInput(InvalidInputException e, HttpServletRequest request) {
        return error(CatalogApiException.Kind.INPUT, e.getMessage(), request);
    }

    @ExceptionHandler(UnavailableException.class)
    ResponseEntity<BackstageError> unavailable(UnavailableException e, HttpServletRequest request) {
        log.warn("Portal API request {} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return error(CatalogApiException.Kind.SERVICE_UNAVAILABLE, e.getMessage(), request);
    }

    @ExceptionHandler(LocationNotAllowedException.class)
    ResponseEntity<BackstageError> locationNotAllowed(LocationNotAllowedException e, HttpServletRequest request) {
        return error(CatalogApiException.Kind.NOT_ALLOWED, e.getMessage(), request);
    }

    /** Bad filters, predicates, cursors, orders, refs, and unreadable or invalid locations. */
    @ExceptionHandler({IllegalArgumentException.class, LocationReadException.class, DescriptorException.class,
            ServletRequestBindingException.class})
    ResponseEntity<BackstageError> input(Exception e, HttpServletRequest request) {
        return error(CatalogApiException.Kind.INPUT, e.getMessage(), request);
    }

    /** A query or path parameter that is not of its type: named, with the type it must have. */
    @ExceptionHandler(TypeMismatchException.class)
    ResponseEntity<BackstageError> mismatchedParameter(TypeMismatchException e, HttpServletRequest request) {
        return error(CatalogApiException.Kind.INPUT, RequestInputErrors.mismatchedParameter(e), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<BackstageError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                return error(CatalogApiException.Kind.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), request);
            }
        }
        return error(CatalogApiException.Kind.INPUT, RequestInputErrors.unreadableBody(e), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<BackstageError> methodNotAllowed(HttpRequestMethodNotSupportedException e,
                                                    HttpServletRequest request) {
        return error(CatalogApiException.Kind.METHOD_NOT_ALLOWED, e.getMessage(), request);
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<BackstageError> mediaType(HttpMediaTypeException e, HttpServletRequest request) {
        return error(CatalogApiException.Kind.UNSUPPORTED_MEDIA_TYPE, e.getMessage(), request);
    }

    /** The client went away (e.g. closed an event stream), or a stream ran out its time: nothing to answer. */
    @ExceptionHandler({AsyncRequestNotUsableException.class, AsyncRequestTimeoutException.class})
    void clientGone(Exception e, HttpServletRequest request) {
        log.debug("client of {} {} went away: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<BackstageError> unexpected(Exception e, HttpServletRequest request) {
        log.error("Portal API request {} {} failed", request.getMethod(), request.getRequestURI(), e);
        int status = HttpStatus.INTERNAL_SERVER_ERROR.value();
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(BackstageErrors.body(status, "Error", "The portal could not serve this request; the"
                        + " server log has the details", request));
    }

    private static ResponseEntity<BackstageError> error(CatalogApiException.Kind kind, String message,
                                                        HttpServletRequest request) {
        return ResponseEntity.status(kind.status()).contentType(MediaType.APPLICATION_JSON)
                .body(BackstageErrors.body(kind, message, request));
    }
}
