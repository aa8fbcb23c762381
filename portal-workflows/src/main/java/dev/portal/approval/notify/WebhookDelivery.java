package dev.portal.approval.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Posts a signed JSON body to a webhook, retrying with exponential back-off.
 *
 * <p>Each attempt carries {@value #TIMESTAMP_HEADER} (Unix seconds, new for every attempt) and
 * {@value #SIGNATURE_HEADER}: {@code sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the
 * secret>}, so a receiver checks the body is ours and refuses old timestamps (replays), and
 * {@value #DELIVERY_HEADER}, the same for every attempt of one notification, so it can drop a
 * repeat. A 2xx answer is success; 408, 429, 5xx and network errors or timeouts are retried; any
 * other answer means the receiver refuses it and is not retried.
 *
 * <p>Attempts run on the given executor, waits between them on the scheduler: nothing blocks the
 * caller, and a receiver that never answers costs one thread for the timeout per attempt.
 */
final class WebhookDelivery implements AutoCloseable {

    public static final String SIGNATURE_HEADER = "X-Portal-Signature";
    public static final String TIMESTAMP_HEADER = "X-Portal-Timestamp";
    public static final String DELIVERY_HEADER = "X-Portal-Delivery";
    public static final String EVENT_HEADER = "X-Portal-Event";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    WebhookDelivery(Executor executor, ScheduledExecutorService scheduler, Clock clock) {
        this.executor = executor;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** How one delivery ended. */
    interface Outcome {
        void delivered(int attempts);

        void gaveUp(int attempts, String reason);
    }

    /** Starts delivering {@code body}; call on the notification executor. */
    void deliver(Webhook webhook, String deliveryId, String event, byte[] body, Outcome outcome) {
        attempt(webhook, deliveryId, event, body, 1, outcome);
    }

    private void attempt(Webhook webhook, String deliveryId, String event, byte[] body, int attempt, Outcome outcome) {
        String failure;
        try {
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(webhook.url())
                    .timeout(webhook.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Portal-Approvals")
                    .header(EVENT_HEADER, event)
                    .header(DELIVERY_HEADER, deliveryId)
                    .header(TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(SIGNATURE_HEADER, "sha256=" + sign(webhook.secret(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<Void> response = client(webhook).send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                outcome.delivered(attempt);
                return;
            }
            if (status != 408 && status != 429 && status < 500) {
                outcome.gaveUp(attempt, "the receiver answered " + status + "; not retried");
                return;
            }
            failure = "the receiver answered " + status;
        } catch (IOException e) {
            failure = describe(e, webhook);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.gaveUp(attempt, "interrupted (shutting down)");
            return;
        }
        if (attempt >= webhook.maxAttempts()) {
            outcome.gaveUp(attempt, failure + " (attempt " + attempt + " of " + webhook.maxAttempts() + ")");
            return;
        }
        Duration wait = backoff(webhook, attempt);
        LOG.debug("webhook {} delivery {}: {}; attempt {} in {}", webhook.name(), deliveryId, failure, attempt + 1, wait);
        String lastFailure = failure;
        try {
            scheduler.schedule(() -> {
                try {
                    executor.execute(() -> attempt(webhook, deliveryId, event, body, attempt + 1, outcome));
                } catch (RejectedExecutionException e) {
                    outcome.gaveUp(attempt, lastFailure + "; no thread free to retry");
                }
            }, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            outcome.gaveUp(attempt, failure + "; retries stopped (shutting down)");
        }
    }

    /** The wait before attempt {@code attempt + 1}: backoff, doubled each time, at most an hour. */
    static Duration backoff(Webhook webhook, int attempt) {
        long millis = webhook.backoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, Duration.ofHours(1).toMillis()));
    }

    /** The hex HMAC-SHA256 of {@code "<timestamp>.<body>"}. */
    static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private HttpClient client(Webhook webhook) {
        return clients.computeIfAbsent(webhook.name(), name -> HttpClient.newBuilder()
                .connectTimeout(webhook.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** What went wrong, without the URL (a chat webhook's URL is a secret) or the secret. */
    private static String describe(IOException e, Webhook webhook) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        URI url = webhook.url();
        String[] secrets = {url.toString(), url.getRawAuthority(), url.getRawPath(), url.getRawQuery(), url.getHost(),
                url.getPort() > 0 ? ":" + url.getPort() : null, webhook.secret()};
        for (String secret : secrets) {
            if (secret != null && secret.length() > 1) {
                message = message.replace(secret, "<" + webhook.name() + ">");
            }
        }
        return message;
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdownNow);
        clients.clear();
    }
}
