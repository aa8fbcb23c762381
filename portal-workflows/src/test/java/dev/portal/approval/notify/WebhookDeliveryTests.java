package dev.portal.approval.notify;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookDeliveryTests {

    private static Webhook webhook(Duration backoff) {
        return new Webhook("chat", URI.create("https://hooks.example.com/T0/B0/xyz"), "secret", 30, backoff, Duration.ofSeconds(5), true);
    }

    @Test
    void theWaitBetweenAttemptsDoublesAndStopsGrowingAtAnHour() {
        Webhook webhook = webhook(Duration.ofSeconds(1));

        assertThat(WebhookDelivery.backoff(webhook, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(WebhookDelivery.backoff(webhook, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(WebhookDelivery.backoff(webhook, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(WebhookDelivery.backoff(webhook, 25)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void signsTheTimestampAndTheBodyAsTheKnownHmacSha256Vector() {
        // HMAC-SHA256 of "1700000000.{}" with key "secret", as `printf '1700000000.{}' | openssl dgst -sha256 -hmac secret` gives it
        assertThat(WebhookDelivery.sign("secret", 1700000000L, "{}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(OPENSSL_VECTOR);
    }

    @Test
    void aWebhookShowsNeitherItsUrlNorItsSecret() {
        assertThat(webhook(Duration.ofSeconds(1)).toString()).isEqualTo("Webhook[chat]");
    }

    @Test
    void refusesAWebhookWithoutASecretNamingItButNotItsUrl() {
        assertThatThrownBy(() -> new Webhook("chat", URI.create("https://hooks.example.com/T0/B0/xyz"), "", 3,
                Duration.ofSeconds(1), Duration.ofSeconds(5), true))
                .hasMessageContaining("webhook 'chat' needs a secret").hasMessageNotContaining("xyz");
    }

    private static final String OPENSSL_VECTOR = "b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163";
}
