package dev.portal.ui;

import dev.portal.error.PortalException;
import dev.portal.web.PortalErrorStatus;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one place where failures of the UI's pages become pages: Portal's error kinds
 * ({@code dev.portal.error}) map to 400, 401 (a page that offers to sign in), 403, 404, 409 and
 * 503 with the exception's message, which is written for the person asking; anything else is a
 * 500 page with a reference to quote, the stack trace in the log only. Scoped to the UI's
 * controllers: the REST API and the host application keep their own error handling.
 */
@ControllerAdvice(basePackageClasses = UiErrorAdvice.class)
public class UiErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(UiErrorAdvice.class);

    private final UiShells shells;
    private final UiPages pages;

    public UiErrorAdvice(UiShells shells, UiPages pages) {
        this.shells = shells;
        this.pages = pages;
    }

    /** Portal's refusals, by the status the one mapping ({@link PortalErrorStatus}) gives their kind. */
    @ExceptionHandler(PortalException.class)
    ResponseEntity<String> refused(PortalException e, HttpServletRequest request) {
        HttpStatus status = PortalErrorStatus.of(e);
        return switch (status) {
            case UNAUTHORIZED -> signInPage(request);
            case FORBIDDEN -> forbidden(request, e.getMessage());
            case NOT_FOUND -> page(request, status, "Not found", e.getMessage());
            case CONFLICT -> page(request, status, "This cannot be done right now", e.getMessage());
            case SERVICE_UNAVAILABLE -> {
                log.warn("Portal UI request {} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
                yield page(request, status, "Temporarily unavailable", e.getMessage() + " Please try again in a moment.");
            }
            default -> page(request, status, "This request cannot be served", e.getMessage());
        };
    }

    /** Malformed requests that Spring refuses before a controller runs (a parameter of the wrong type). */
    @ExceptionHandler({TypeMismatchException.class, ServletRequestBindingException.class})
    ResponseEntity<String> malformed(Exception e, HttpServletRequest request) {
        return page(request, HttpStatus.BAD_REQUEST, "This request cannot be served",
                "The address or form is not one this page understands. Start again from the catalog.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return page(request, HttpStatus.METHOD_NOT_ALLOWED, "This request cannot be served",
                "This page cannot be " + (e.getMethod().equals("GET") ? "opened directly" : "sent that way") + ".");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("Portal UI request {} {} failed (reference {})", request.getMethod(), request.getRequestURI(),
                reference, e);
        UiShell shell = shells.shell(request, "Something went wrong", null);
        return pages.page(HttpStatus.INTERNAL_SERVER_ERROR, "error.jte", new ErrorPage(shell, 500,
                "Something went wrong", "The portal could not show this page. If it keeps happening, tell the"
                + " people who run it and quote the reference below.", false, reference, actions(shell)));
    }

    private ResponseEntity<String> forbidden(HttpServletRequest request, String message) {
        String reason = message == null ? "" : message.strip();
        return page(request, HttpStatus.FORBIDDEN, "You may not do this", (reason.isEmpty() ? "" : reason
                + (reason.endsWith(".") ? " " : ". ")) + "If you need to, ask the people who run this portal.");
    }

    private ResponseEntity<String> signInPage(HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Sign in", null);
        return pages.page(HttpStatus.UNAUTHORIZED, "error.jte", new ErrorPage(shell, 401, "Please sign in",
                "You need to be signed in to do this.", true, null, actions(shell)));
    }

    private ResponseEntity<String> page(HttpServletRequest request, HttpStatus status, String heading, String message) {
        UiShell shell = shells.shell(request, heading, null);
        return pages.page(status, "error.jte", new ErrorPage(shell, status.value(), heading, message,
                false, null, actions(shell)));
    }

    private static List<Link> actions(UiShell shell) {
        List<Link> actions = new ArrayList<>();
        actions.add(new Link(shell.paths().catalog(), "Browse the catalog"));
        actions.add(new Link(shell.paths().home(), "Go to the start page"));
        return actions;
    }
}
