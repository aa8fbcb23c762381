package dev.portal.autoconfigure.workflows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalTask;
import dev.portal.approval.notify.NotificationLedger;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.RecordStreamIncidentLookup;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approval e-mail through the host's JavaMailSender (spring.mail.*, as a host configures it) to a
 * real SMTP server in the test (GreenMail): the approvers' addresses from their User entities, the
 * subject, and the link to the task's page; a task header turns e-mail off for that task.
 */
class ApprovalMailIntegrationTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    static Path dir;

    static ZeebeTestEngine engine;
    static PostgresDatabase database;
    static int port;

    @BeforeAll
    static void engineAndDatabase() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        engine = EngineFactory.create(port);
        engine.start();
        database = PostgresDatabase.create();
    }

    @AfterAll
    static void stop() {
        engine.stop();
        database.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HostApplication {

        @Bean(destroyMethod = "")
        DataSource dataSource() {
            return database.dataSource();
        }

        @Bean
        IncidentLookup incidentLookup() {
            return new RecordStreamIncidentLookup(() -> engine.getRecordStreamSource().getRecords());
        }
    }

    private static ConfigurableApplicationContext startHost() {
        return new SpringApplicationBuilder(HostApplication.class)
                .web(WebApplicationType.NONE)
                .properties("camunda.client.grpc-address=http://127.0.0.1:" + port,
                        "camunda.client.prefer-rest-over-grpc=false",
                        "portal.catalog.refresh.enabled=false",
                        "portal.scaffolder.workspace-root=" + dir.resolve("workspaces"),
                        "spring.flyway.enabled=false",
                        "spring.mail.host=127.0.0.1",
                        "spring.mail.port=" + smtp.getSmtp().getPort(),
                        "server.servlet.context-path=/app",
                        "portal.approvals.notifications.base-url=https://portal.example.com/",
                        "portal.approvals.notifications.mail.from=portal@example.com")
                .run();
    }

    @Test
    void theApproversGetAnEMailWithTheLinkToTheTaskUnlessTheTaskTurnsItOff() throws Exception {
        Path org = dir.resolve("org.yaml");
        Files.writeString(org, """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata: {name: payments}
                spec: {type: team, children: []}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: alice}
                spec: {memberOf: [payments], profile: {email: alice@example.com}}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: bob}
                spec: {memberOf: [payments], profile: {email: bob@example.com, displayName: Bob Builder}}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: carol}
                spec: {memberOf: [payments], profile: {email: carol@example.com}}
                ---
                apiVersion: backstage.io/v1alpha1
                kind: User
                metadata: {name: dave}
                spec: {memberOf: [payments]}
                """);
        Path template = Files.createDirectories(dir.resolve("template"));
        Files.writeString(template.resolve("mail.bpmn"), Bpmn.convertToString(Bpmn.createExecutableProcess("mail")
                .startEvent()
                .userTask("quiet", task -> task.zeebeCandidateUsers("dave").zeebeTaskHeader("portal.notify.mail", "false"))
                .userTask("approve", task -> task.zeebeCandidateGroups("payments")
                        .zeebeTaskHeader(ZeebeApprovals.TITLE_HEADER, "Approve the new service"))
                .endEvent().done()));
        Files.writeString(template.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: mail}
                spec:
                  type: service
                  owner: group:default/payments
                  workflow: {processId: mail, resource: mail.bpmn}
                """);

        try (ConfigurableApplicationContext host = startHost()) {
            Catalog catalog = host.getBean(Catalog.class);
            catalog.register(new LocationSpec("file", org.toString()), Location.Origin.CONFIG);
            catalog.register(new LocationSpec("file", template.resolve("template.yaml").toString()), Location.Origin.CONFIG);
            Run run = host.getBean(Scaffolder.class).start(EntityRef.parse("template:default/mail"),
                    new ObjectMapper().createObjectNode(), "user:default/alice");
            ApprovalInbox inbox = host.getBean(ApprovalInbox.class);

            ApprovalTask quiet = task(inbox, run.id(), "quiet");
            // dave decides it: with separate deciders he may not decide the next one (and has no address)
            inbox.decide(quiet.id(), EntityRef.parse("user:default/dave"), true, null, null);
            ApprovalTask approve = task(inbox, run.id(), "approve");

            assertThat(smtp.waitForIncomingEmail(20_000, 2)).isTrue();
            MimeMessage[] mails = smtp.getReceivedMessages();
            // alice requested the run (four-eyes), dave has no address, the quiet task sent nothing
            assertThat(mails).hasSize(2);
            assertThat(Arrays.stream(mails).flatMap(mail -> recipients(mail).stream()))
                    .containsExactlyInAnyOrder("bob@example.com", "carol@example.com");
            for (MimeMessage mail : mails) {
                assertThat(mail.getSubject()).isEqualTo("[Portal] Approval needed: Approve the new service");
                assertThat(mail.getFrom()).extracting(Address::toString).containsExactly("portal@example.com");
                assertThat((String) mail.getContent())
                        .contains("https://portal.example.com/app/portal/approvals/" + approve.id())
                        .contains("template:default/mail", "user:default/alice");
            }
            assertThat(Arrays.stream(mails).map(ApprovalMailIntegrationTests::content))
                    .anySatisfy(text -> assertThat(text).startsWith("Hello Bob Builder,"));
            NotificationLedger ledger = host.getBean(NotificationLedger.class);
            assertThat(ledger.of(quiet.id())).isEmpty();
            // recorded as sent once the mail server took every message (the last one may just have arrived)
            NotificationLedger.Entry sent = eventually(() -> ledger.of(approve.id()).stream()
                    .filter(entry -> entry.sentAt().isPresent()).findFirst().orElse(null));
            assertThat(sent.channel()).isEqualTo("mail");
            assertThat(ledger.of(approve.id())).hasSize(1);

            inbox.decide(approve.id(), EntityRef.parse("user:default/carol"), true, null, null);
            Run done = eventually(() -> {
                Run now = host.getBean(Scaffolder.class).run(run.id());
                return now.status() == RunStatus.COMPLETED ? now : null;
            });
            assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        }
    }

    private static java.util.List<String> recipients(MimeMessage mail) {
        try {
            return Arrays.stream(mail.getAllRecipients()).map(Address::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static String content(MimeMessage mail) {
        try {
            return (String) mail.getContent();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ApprovalTask task(ApprovalInbox inbox, UUID runId, String stepId) throws InterruptedException {
        return eventually(() -> inbox.store().openOfRun(runId).stream().filter(task -> task.stepId().equals(stepId))
                .findFirst().orElse(null));
    }

    private static <T> T eventually(Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        T result = value.get();
        while (result == null && System.nanoTime() < deadline) {
            Thread.sleep(25);
            result = value.get();
        }
        assertThat(result).as("reached within 20 s").isNotNull();
        return result;
    }
}
