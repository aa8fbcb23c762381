package dev.portal.error;

/** Nobody is signed in and the request needs somebody who is (401): they may be allowed once they sign in. */
public class AuthenticationRequiredException extends NotAllowedException {

    public AuthenticationRequiredException(String message) {
        super(message);
    }
}
