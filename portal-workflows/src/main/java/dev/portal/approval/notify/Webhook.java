package dev.portal.approval.notify;

import java.net.URI;
import java.time.Duration;

/**
 * A receiver of approval notifications.
 *
 * @param name        how task headers and template annotations name it, and how logs refer to it
 *                    (never by URL: a chat webhook's URL is itself a secret)
 * @param secret      the HMAC-SHA256 key the body is signed with; never logged
 * @param maxAttempts how often a delivery is tried in all before it is given up
 * @param backoff     the wait before the first retry; it doubles with every further one
 * @param timeout     how long one attempt may take, connecting included
 * @param byDefault   whether tasks that name no webhooks are sent to it
 */
public record Webhook(String name, URI url, String secret, int maxAttempts, Duration backoff, Duration timeout,
                      boolean byDefault) {

    public Webhook {
        if (name == null || name.isBlank() || name.contains(",")) {
            throw new IllegalArgumentException("a webhook needs a name without commas, not '" + name + "'");
        }
        if (url == null || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException("webhook '" + name + "' needs an http(s) url");
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("webhook '" + name + "' needs a secret to sign its deliveries with");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("webhook '" + name + "': max-attempts must be at least 1, not " + maxAttempts);
        }
        if (backoff.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("webhook '" + name + "': backoff must not be negative and timeout must be positive");
        }
    }

    /** Never shows the secret or the URL. */
    @Override
    public String toString() {
        return "Webhook[" + name + "]";
    }
}
