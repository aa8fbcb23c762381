package dev.portal.error;

/**
 * A request Portal refuses, of one of five kinds that every module throws and every interface
 * (REST API, web pages) maps once: {@link InvalidInputException} (the caller's input breaks a rule),
 * {@link NotFoundException}, {@link ConflictException} (the state does not allow it),
 * {@link NotAllowedException} (the caller may not; {@link AuthenticationRequiredException} when
 * nobody is signed in) and {@link UnavailableException} (a system Portal depends on did not answer).
 *
 * <p>The message is written for the person who sent the request: it names the offending item and
 * the rule, never internals. Anything that is not a {@code PortalException} is a programming error
 * and is answered as such (500), whatever its type: an {@link IllegalArgumentException} from deep
 * inside is not the caller's fault.
 */
public abstract class PortalException extends RuntimeException {

    protected PortalException(String message) {
        super(message);
    }

    protected PortalException(String message, Throwable cause) {
        super(message, cause);
    }
}
