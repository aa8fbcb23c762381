package dev.portal.autoconfigure.workflows;

import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.notify.ApprovalNotifications;
import dev.portal.approval.notify.MailSender;
import dev.portal.approval.notify.Webhook;
import dev.portal.autoconfigure.catalog.PortalCatalogAutoConfiguration;
import dev.portal.autoconfigure.catalog.TestDatabase;
import io.camunda.client.spring.configuration.CamundaAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PortalApprovalNotificationsAutoConfigurationTests {

    private static TestDatabase database;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                    PortalCatalogAutoConfiguration.class, CamundaAutoConfiguration.class, MailSenderAutoConfiguration.class,
                    PortalWorkflowsAutoConfiguration.class, PortalApprovalNotificationsAutoConfiguration.class))
            .withPropertyValues("portal.catalog.refresh.enabled=false");

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private ApplicationContextRunner withDatabase() {
        return contextRunner.withPropertyValues(database.datasourceProperties());
    }

    @Test
    void tellsApproversThroughTheInboxWithoutMailWhenTheHostHasNoMailSender() {
        withDatabase().run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(ApprovalNotifications.class).doesNotHaveBean(MailSender.class);
            assertThat(ctx.getBean(ApprovalInbox.class)).isNotNull();
        });
    }

    @Test
    void sendsMailThroughTheHostsJavaMailSender() {
        withDatabase().withPropertyValues("spring.mail.host=127.0.0.1")
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(MailSender.class));
    }

    @Test
    void sendsNoMailWithoutSpringsMailSupportOnTheClassPath() {
        withDatabase().withPropertyValues("spring.mail.host=127.0.0.1")
                .withClassLoader(new FilteredClassLoader("org.springframework.mail"))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasSingleBean(ApprovalNotifications.class).doesNotHaveBean(MailSender.class));
    }

    @Test
    void backsOffWhenDisabled() {
        withDatabase().withPropertyValues("portal.approvals.notifications.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ApprovalNotifications.class));
    }

    @Test
    void linksToTheTaskPageBelowTheBaseUrlTheContextPathAndTheUiPath() {
        withDatabase().withPropertyValues("portal.approvals.notifications.base-url=https://portal.example.com/",
                        "server.servlet.context-path=/app", "portal.ui.path=/dev")
                .run(ctx -> assertThat(ctx.getBean(ApprovalNotifications.class).settings().taskLink(42))
                        .isEqualTo("https://portal.example.com/app/dev/approvals/42"));
    }

    @Test
    void readsNamedWebhooks() {
        withDatabase().withPropertyValues(
                        "portal.approvals.notifications.webhooks.chat.url=https://hooks.example.com/T000/B000",
                        "portal.approvals.notifications.webhooks.chat.secret=change-me",
                        "portal.approvals.notifications.webhooks.chat.max-attempts=3",
                        "portal.approvals.notifications.webhooks.chat.timeout=2s",
                        "portal.approvals.notifications.webhooks.audit.url=https://audit.example.com/hook",
                        "portal.approvals.notifications.webhooks.audit.secret=other",
                        "portal.approvals.notifications.webhooks.audit.by-default=false")
                .run(ctx -> assertThat(ctx.getBean(ApprovalNotifications.class).settings().webhooks())
                        .containsExactly(
                                new Webhook("chat", URI.create("https://hooks.example.com/T000/B000"), "change-me", 3,
                                        Duration.ofSeconds(1), Duration.ofSeconds(2), true),
                                new Webhook("audit", URI.create("https://audit.example.com/hook"), "other", 5,
                                        Duration.ofSeconds(1), Duration.ofSeconds(10), false)));
    }

    @Test
    void refusesToStartWithAWebhookWithoutASecretAndDoesNotShowItsUrl() {
        withDatabase().withPropertyValues(
                        "portal.approvals.notifications.webhooks.chat.url=https://hooks.example.com/T000/B000/XYZSECRETPATH")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("webhook 'chat' needs a secret")
                            .hasMessageNotContaining("XYZSECRETPATH");
                });
    }
}
