package dev.portal.web;

import dev.portal.error.PortalException;
import dev.portal.error.UnavailableException;
import dev.portal.scaffolder.RunNotStarted;
import dev.portal.web.model.BackstageError;
import dev.portal.web.model.ValidateEntityErrors;
import dev.portal.web.model.ValidationProblem;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.UUID;

/**
 * The one place where failures of Portal's REST APIs become HTTP answers, in Backstage's error
 * body ({@code {"error":{"name","message"},"request","response"}}) with
 * {@code Content-Type: application/json}:
 * <ul>
 *   <li>a {@link PortalException} answers the status of its kind ({@link PortalErrorStatus}) with
 *       its message, which is written for the caller;</li>
 *   <li>Spring's own refusals of a request (unreadable JSON, a parameter of the wrong type, a
 *       missing parameter, a wrong method or media type) answer 400, 405 or 415;</li>
 *   <li>anything else is a programming error: 500 with a correlation id and nothing else, the
 *       stack trace goes to the log under that id. An {@link IllegalArgumentException} is no
 *       exception to that: it does not mean the caller's input was wrong.</li>
 * </ul>
 * Scoped to Portal's controllers so a host application's own controllers and advice are untouched.
 */
@RestControllerAdvice(assignableTypes = {CatalogEntitiesController.class, CatalogLocationsController.class,
        PortalApiFallbackController.class, ScaffolderController.class, ApprovalsController.class})
public class CatalogErrorAdvice {

    /** The response header that carries a 500's correlation id, also named in its message. */
    public static final String CORRELATION_HEADER = "X-Correlation-Id";

    private static final Logger log = LoggerFactory.getLogger(CatalogErrorAdvice.class);

    @ExceptionHandler(PortalException.class)
    ResponseEntity<BackstageError> refused(PortalException e, HttpServletRequest request) {
        if (e instanceof UnavailableException) {
            log.warn("Portal API request {} {} could not be served: {}", request.getMethod(), request.getRequestURI(),
                    e.getMessage());
        }
        ResponseEntity<BackstageError> response = error(PortalErrorStatus.of(e), e.getMessage(), request);
        if (e instanceof RunNotStarted notStarted && response.getBody() != null) {
            // the failed run the refused start left behind, so the caller can show it
            response.getBody().getError().setTaskId(notStarted.runId());
        }
        return response;
    }

    @ExceptionHandler(InvalidEntityException.class)
    ResponseEntity<ValidateEntityErrors> invalidEntity(InvalidEntityException e) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON)
                .body(new ValidateEntityErrors(e.problems().stream()
                        .map(problem -> new ValidationProblem("InputError", problem.describe())).toList()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<BackstageError> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "a different value" : RequestInputErrors.expected(e.getRequiredType());
        return error(HttpStatus.BAD_REQUEST, "parameter '" + e.getName() + "' must be " + expected
                + ", got '" + e.getValue() + "'", request);
    }

    @ExceptionHandler(TypeMismatchException.class)
    ResponseEntity<BackstageError> otherTypeMismatch(TypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "a different value" : RequestInputErrors.expected(e.getRequiredType());
        return error(HttpStatus.BAD_REQUEST, "'" + e.getPropertyName() + "' must be " + expected + ", got '"
                + e.getValue() + "'", request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<BackstageError> missingParameter(MissingServletRequestParameterException e,
                                                    HttpServletRequest request) {
        return error(HttpStatus.BAD_REQUEST, "parameter '" + e.getParameterName() + "' is required", request);
    }

    @ExceptionHandler(ServletRequestBindingException.class)
    ResponseEntity<BackstageError> binding(ServletRequestBindingException e, HttpServletRequest request) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<BackstageError> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestTooLargeException tooLarge) {
                return error(HttpStatus.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), request);
            }
        }
        return error(HttpStatus.BAD_REQUEST, RequestInputErrors.unreadableBody(e), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<BackstageError> methodNotAllowed(HttpRequestMethodNotSupportedException e,
                                                    HttpServletRequest request) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage(), request);
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<BackstageError> mediaType(HttpMediaTypeException e, HttpServletRequest request) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage(), request);
    }

    /** The client went away (e.g. closed an event stream), or a stream ran out its time: nothing to answer. */
    @ExceptionHandler({AsyncRequestNotUsableException.class, AsyncRequestTimeoutException.class})
    void clientGone(Exception e, HttpServletRequest request) {
        log.debug("client of {} {} went away: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    /** A programming error: the caller learns only that it happened and under which id it was logged. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<BackstageError> unexpected(Exception e, HttpServletRequest request) {
        String correlationId = UUID.randomUUID().toString();
        log.error("Portal API request {} {} failed [correlation id {}]", request.getMethod(), request.getRequestURI(),
                correlationId, e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .header(CORRELATION_HEADER, correlationId)
                .body(BackstageErrors.body(HttpStatus.INTERNAL_SERVER_ERROR, "The portal could not serve this request"
                        + " (correlation id " + correlationId + "); the server log has the details under that id",
                        request));
    }

    private static ResponseEntity<BackstageError> error(HttpStatus status, String message, HttpServletRequest request) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(BackstageErrors.body(status, message, request));
    }
}
