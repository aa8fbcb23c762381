package dev.portal.scaffolder.secret;

/** A sealed secret does not open on this host: the step cannot have it. */
public class SecretUnavailableException extends RuntimeException {

    public SecretUnavailableException(String message) {
        super(message);
    }
}
