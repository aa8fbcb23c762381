package dev.portal.ui;

import dev.portal.approval.ApprovalStore;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStore;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Scaffolder's pages in a real browser (see {@link UiBrowser}), two people at once: alice
 * requests a service through the wizard (a bad name is named at its field, the other values stay),
 * previews its files and starts it; her run page shows the process waiting at the approval and the
 * log; she may not approve it herself, and a forged decision from her session is refused. Bob sees
 * the badge, opens the task, reads the request in the task's Camunda form, and approves with a
 * comment; alice's page reaches "completed" without a reload (its log followed the event stream
 * across reconnects with no gap and no repeat), and its repository and catalog links work. Then bob
 * rejects a second request, and alice retries the failed step of a deployment. Screenshots of each
 * page land in {@code target/ui-screens/}.
 */
@SpringBootTest(classes = UiScaffolderTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = UiScaffolderTestApplication.Paths.class)
@AutoConfigureMockMvc
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiScaffolderBrowserTests {

    private static final Duration RUN = Duration.ofSeconds(60);

    private static UiBrowser alice;
    private static UiBrowser bob;

    @LocalServerPort
    int port;

    @Autowired
    RunStore runs;

    @Autowired
    ApprovalStore approvals;

    @BeforeEach
    void startBrowsers() throws IOException {
        if (alice == null) {
            alice = UiBrowser.start(port);
            alice.signIn("alice", UiScaffolderTestApplication.PASSWORD);
            bob = UiBrowser.start(port);
            bob.signIn("bob", UiScaffolderTestApplication.PASSWORD);
        }
    }

    @AfterAll
    static void stopBrowsers() throws IOException {
        for (UiBrowser browser : new UiBrowser[]{alice, bob}) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    @Test
    @Order(1)
    void aliceRequestsAServiceBobApprovesItAndAlicesPageFollowsTheRunToTheEnd() throws Exception {
        // The gallery, and the template's first page.
        alice.open("/portal/create");
        assertThat(alice.texts(".template-card h2")).contains("Create a Java service");
        alice.screenshot("20-create-gallery");
        alice.click(By.cssSelector(".template-card a.button-primary[href$='/create/default/create-service']"));
        alice.await().until(ExpectedConditions.presenceOfElementLocated(By.id("f-name")));
        assertThat(alice.driver.switchTo().activeElement().getAttribute("id")).as("the first field has the focus")
                .isIn("f-name", "main", null, "");
        alice.screenshot("21-wizard");

        // A bad name: the server says why next to the field; what she typed stays.
        alice.driver.findElement(By.id("f-name")).sendKeys("Invoice Service!");
        alice.driver.findElement(By.id("f-owner")).sendKeys("payments");
        alice.driver.findElement(By.id("f-javaPackage")).clear();
        alice.driver.findElement(By.id("f-javaPackage")).sendKeys("com.acme.invoices");
        alice.click(By.cssSelector(".wizard-actions button[value=next]"));
        alice.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#f-name-about .field-error")));
        assertThat(alice.text("#f-name-about .field-error")).contains("must match the pattern");
        assertThat(alice.driver.findElement(By.id("f-name")).getAttribute("value")).isEqualTo("Invoice Service!");
        assertThat(alice.driver.findElement(By.id("f-owner")).getAttribute("value")).isEqualTo("payments");
        assertThat(alice.driver.findElement(By.id("f-javaPackage")).getAttribute("value")).isEqualTo("com.acme.invoices");
        alice.screenshot("22-wizard-error");

        // Fixed; the optional page; the review with the files it will make.
        alice.driver.findElement(By.id("f-name")).clear();
        alice.driver.findElement(By.id("f-name")).sendKeys("invoice-service");
        alice.click(By.cssSelector(".wizard-actions button[value=next]"));
        alice.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".step-current"), "API (optional)"));
        alice.click(By.cssSelector(".wizard-actions button[value=next]"));
        alice.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".step-current"), "Review and start"));
        alice.click(By.cssSelector(".wizard-actions button[value=preview]"));
        alice.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".file-tree")));
        assertThat(alice.texts(".file-tree a")).contains("README.md", "catalog-info.yaml", "pom.xml");
        alice.screenshot("23-wizard-preview");

        // Start: her run's page, the process waiting at the approval, the log.
        alice.click(By.cssSelector(".wizard-actions button[value=start]"));
        alice.await().until(ExpectedConditions.urlMatches(".*/portal/runs/[0-9a-f-]{36}$"));
        String runUrl = alice.driver.getCurrentUrl();
        UUID runId = UUID.fromString(runUrl.substring(runUrl.lastIndexOf('/') + 1));
        alice.await(RUN).until(ExpectedConditions.textToBe(By.id("run-status"), "Waiting for approval"));
        alice.await().until(ExpectedConditions.attributeContains(By.cssSelector(".bpmn-diagram"), "data-marked", "approve:waiting"));
        assertThat(alice.driver.findElement(By.cssSelector(".bpmn-diagram")).getAttribute("data-marked")).contains("check:completed");
        assertThat(alice.driver.findElements(By.cssSelector(".bpmn-diagram .djs-element.marker-waiting"))).isNotEmpty();
        assertThat(alice.driver.findElements(By.cssSelector(".bpmn-diagram .bjs-powered-by"))).as("bpmn.io's watermark stays").isNotEmpty();
        assertThat(alice.texts("#run-log li")).anyMatch(line -> line.contains("waiting for approval at approve"));
        alice.screenshot("24-run-waiting");

        // Alice may not approve her own request: no button, and a forged decision from her session is refused.
        String taskPath = "/portal/approvals/" + approvals.openOfRun(runId).getFirst().id();
        alice.open(taskPath);
        alice.await().until(ExpectedConditions.presenceOfElementLocated(By.id("refusal")));
        assertThat(alice.driver.findElements(By.cssSelector("button[value=approve]"))).isEmpty();
        assertThat(alice.text("#refusal")).contains("four-eyes");
        Object status = alice.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " const token = document.querySelector('meta[name=_csrf]').content;"
                + " const header = document.querySelector('meta[name=_csrf_header]').content;"
                + " fetch(arguments[0], {method: 'POST', headers: {[header]: token, 'Content-Type': 'application/x-www-form-urlencoded'},"
                + " body: 'decision=approve&comment=mine'}).then(r => done(r.status), e => done(String(e)));", taskPath + "/decide");
        assertThat(status).isEqualTo(403L);
        alice.screenshot("25-task-as-requester");

        // Back on her run's page, which from now on is never reloaded.
        alice.open(runUrl.substring(runUrl.indexOf("/portal")));
        alice.await().until(ExpectedConditions.attributeContains(By.cssSelector(".bpmn-diagram"), "data-marked", "approve:waiting"));
        alice.driver.executeScript("window.portalTestMarker = 'kept';");
        alice.watchContentSecurityPolicy();

        // Bob: the badge, the inbox, the task with its Camunda form showing the request.
        bob.open("/portal");
        assertThat(bob.text(".nav-badge")).startsWith("1");
        bob.click(By.cssSelector("nav.nav a[href='/portal/approvals']"));
        bob.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.inbox-table")));
        bob.screenshot("26-inbox");
        bob.click(By.cssSelector("table.inbox-table a[href='" + taskPath + "']"));
        bob.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".camunda-form.form-ready")));
        bob.watchContentSecurityPolicy();
        assertThat(bob.text(".camunda-form")).contains("invoice-service", "user:default/alice", "payments");
        bob.await().until(ExpectedConditions.attributeContains(By.cssSelector(".bpmn-diagram"), "data-marked", "approve:waiting"));
        bob.driver.findElement(By.cssSelector(".camunda-form textarea")).sendKeys("Keep the API small.");
        bob.driver.findElement(By.id("comment")).sendKeys("Welcome aboard");
        bob.screenshot("27-task");
        bob.click(By.cssSelector("button[value=approve]"));
        bob.await().until(ExpectedConditions.presenceOfElementLocated(By.id("decision")));
        assertThat(bob.text("#decision")).contains("Approved by bob", "Welcome aboard");
        assertThat(bob.texts(".decision-card dd")).contains("Keep the API small.");
        bob.screenshot("28-task-approved");

        // Alice's page gets there on its own.
        alice.await(RUN).until(ExpectedConditions.textToBe(By.id("run-status"), "Completed"));
        alice.await().until(ExpectedConditions.attributeToBe(By.id("run-log"), "data-live", "false"));
        assertThat(alice.driver.executeScript("return window.portalTestMarker")).as("not reloaded").isEqualTo("kept");
        assertThat(alice.driver.findElement(By.cssSelector(".bpmn-diagram")).getAttribute("data-marked"))
                .contains("approve:completed", "register:completed", "announce:completed");
        assertThat(alice.contentSecurityPolicyViolations()).isEmpty();
        List<Long> shown = alice.driver.findElements(By.cssSelector("#run-log li")).stream()
                .map(line -> Long.parseLong(line.getAttribute("data-event-id"))).toList();
        assertThat(shown).as("every event once, in order, across the stream's reconnects")
                .isEqualTo(runs.events(runId, 0, 1000).stream().map(RunEvent::id).toList());
        alice.screenshot("29-run-completed");

        // Its links: the repository exists with the service, the catalog has the component.
        String repository = alice.text("#run-repository");
        assertThat(repository).endsWith("/invoice-service.git");
        try (Repository git = new FileRepositoryBuilder().setGitDir(UiScaffolderTestApplication.REMOTES
                .resolve("invoice-service.git").toFile()).build()) {
            assertThat(git.resolve("refs/heads/main")).isNotNull();
        }
        alice.click(By.id("run-entity"));
        alice.await().until(ExpectedConditions.textToBe(By.cssSelector(".entity-head h1"), "invoice-service"));
        assertThat(alice.texts(".provenance a, .card a")).contains("alice");
        alice.screenshot("30-created-entity");
        assertThat(bob.contentSecurityPolicyViolations()).isEmpty();
    }

    @Test
    @Order(2)
    void bobRejectsARequestAndAliceSeesWhy() {
        startCreateService(alice, "rejected-service");
        alice.await(RUN).until(ExpectedConditions.textToBe(By.id("run-status"), "Waiting for approval"));

        bob.open("/portal/approvals");
        bob.click(By.xpath("//table[contains(@class,'inbox-table')]//tr[td[normalize-space()='Create a Java service']]//a[contains(@class,'entity-title')]"));
        bob.await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".camunda-form.form-ready")));
        assertThat(bob.text(".camunda-form")).contains("rejected-service");
        bob.driver.findElement(By.id("comment")).sendKeys("We have one of these already.");
        bob.click(By.cssSelector("button[value=reject]"));
        bob.await().until(ExpectedConditions.presenceOfElementLocated(By.id("decision")));
        assertThat(bob.text("#decision")).contains("Rejected by bob", "We have one of these already.");
        bob.screenshot("31-task-rejected");

        alice.await(RUN).until(ExpectedConditions.textToBe(By.id("run-status"), "Rejected"));
        alice.await().until(ExpectedConditions.attributeContains(By.cssSelector(".bpmn-diagram"), "data-marked", "approve:rejected"));
        assertThat(alice.texts("#run-log li")).anyMatch(line -> line.contains("We have one of these already."));
        alice.screenshot("32-run-rejected");
    }

    @Test
    @Order(3)
    void aliceRetriesAFailedStepFromTheRunPage() {
        UiScaffolderTestApplication.FLAKY_FAILS.set(true);
        alice.open("/portal/create/default/flaky-deploy");
        new Select(alice.driver.findElement(By.id("f-target"))).selectByValue("staging");
        alice.click(By.cssSelector(".wizard-actions button[value=next]"));
        alice.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".step-current"), "Review and start"));
        alice.click(By.cssSelector(".wizard-actions button[value=start]"));
        alice.await().until(ExpectedConditions.urlMatches(".*/portal/runs/[0-9a-f-]{36}$"));
        alice.await(RUN).until(ExpectedConditions.textToBe(By.id("run-status"), "Failed"));
        alice.await().until(ExpectedConditions.attributeContains(By.cssSelector(".bpmn-diagram"), "data-marked", "deploy:failed"));
        assertThat(alice.text("#run-live .error-box")).contains("deploy", "502 Bad Gateway");
        alice.screenshot("33-run-failed");

        UiScaffolderTestApplication.FLAKY_FAILS.set(false);
        alice.click(By.cssSelector("form[action$='/retry'] button"));
        alice.await(RUN).until(ExpectedConditions.textToBe(By.id("run-status"), "Completed"));
        alice.await().until(ExpectedConditions.attributeContains(By.cssSelector(".bpmn-diagram"), "data-marked", "deploy:completed"));
        assertThat(alice.texts("#run-log li")).anyMatch(line -> line.contains("the deployment API accepted the deployment"));
        assertThat(alice.driver.findElements(By.cssSelector("form[action$='/retry']"))).isEmpty();
        alice.screenshot("34-run-retried");

        alice.open("/portal/runs");
        assertThat(alice.texts("table.runs-table td .run-status")).contains("Completed", "Rejected");
        alice.screenshot("35-my-runs");
    }

    private static void startCreateService(UiBrowser browser, String name) {
        browser.open("/portal/create/default/create-service");
        browser.driver.findElement(By.id("f-name")).sendKeys(name);
        browser.driver.findElement(By.id("f-owner")).sendKeys("payments");
        browser.click(By.cssSelector(".wizard-actions button[value=next]"));
        browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".step-current"), "API (optional)"));
        browser.click(By.cssSelector(".wizard-actions button[value=next]"));
        browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".step-current"), "Review and start"));
        browser.click(By.cssSelector(".wizard-actions button[value=start]"));
        browser.await().until(ExpectedConditions.urlMatches(".*/portal/runs/[0-9a-f-]{36}$"));
    }
}
