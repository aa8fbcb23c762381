package dev.portal.ui;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The UI in a real browser: Debian's chromium, headless, driven through chromedriver by Selenium,
 * against the test host on a random port (its form login, CSRF and the UI's strict CSP included).
 * Alice signs in, searches, filters by two facets, opens a component, follows its owner and its
 * API, sees the graph, registers a file after previewing it, and signs out; carol is refused the
 * register page. A screenshot of each page lands in {@code target/ui-screens/}.
 *
 * <p>The browser must be there: without it this test fails, naming the packages to install
 * ({@code .ci/run} installs them), rather than being skipped.
 */
@SpringBootTest(classes = UiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UiBrowserTests {

    private static final String REGISTER_FIXTURE =
            Path.of("src/test/resources/ui/register/catalog-info.yaml").toAbsolutePath().toString();

    private static UiBrowser chromium;
    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @BeforeEach
    void startBrowser() throws IOException {
        if (chromium == null) {
            chromium = UiBrowser.start(port);
            browser = chromium.driver;
        }
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aliceFindsAComponentFollowsItsOwnerAndApiRegistersAFileAndSignsOut() {
        open("/portal");
        assertThat(text(".page-head h1")).isEqualTo("Welcome to Portal");
        screenshot("01-home-anonymous");

        // Sign in through the host's form login.
        click(By.cssSelector(".topbar a.button"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        screenshot("02-sign-in");
        browser.findElement(By.name("username")).sendKeys("alice");
        browser.findElement(By.name("password")).sendKeys(UiTestApplication.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().until(ExpectedConditions.textToBe(By.cssSelector(".whoami-name"), "Alice Developer"));
        assertThat(texts(".whoami-groups a")).containsExactly("payments");
        assertThat(texts("table.entities a.entity-title")).contains("Payment Gateway");
        screenshot("03-home-alice");

        // Search from the header, then narrow down with two facets.
        WebElement search = browser.findElement(By.cssSelector(".topbar-search input[name=q]"));
        search.sendKeys("pay", Keys.ENTER);
        await().until(ExpectedConditions.urlContains("q=pay"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.entities")));
        assertThat(texts("table.entities a.entity-title")).contains("Payment Gateway", "payments-api", "Payments");
        screenshot("04-search");

        // From here on links and forms in the page are htmx requests that swap the page's main part:
        // the document (and this marker in it) stays, and the strict CSP is never violated.
        browser.executeScript("window.portalTestMarker = 'kept';"
                + " window.cspViolations = [];"
                + " document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective));");
        clickFacet("Kind", "Component");
        await().until(ExpectedConditions.urlContains("kind=Component"));
        clickFacet("Lifecycle", "production");
        await().until(ExpectedConditions.urlContains("lifecycle=production"));
        await().until(driver -> texts("table.entities a.entity-title").equals(List.of("Payment Gateway")));
        assertThat(texts(".active-filters .chip")).hasSize(3);
        assertThat(browser.executeScript("return typeof htmx")).isEqualTo("object");
        assertThat(browser.executeScript("return window.portalTestMarker")).as("swapped in place by htmx").isEqualTo("kept");
        assertThat(browser.getTitle()).isEqualTo("Search: pay · Portal");
        screenshot("05-filtered");

        // The component, its owner, back, its API and their graphs.
        click(By.linkText("Payment Gateway"));
        await().until(ExpectedConditions.textToBe(By.cssSelector(".entity-head h1"), "Payment Gateway"));
        assertThat(browser.findElements(By.cssSelector("svg.graph a.graph-node"))).hasSizeGreaterThanOrEqualTo(6);
        assertThat(browser.findElement(By.cssSelector("svg.graph")).getSize().getWidth()).isGreaterThan(300);
        screenshot("06-component");

        click(By.cssSelector("dl.facts a[href$='/group/payments']"));
        await().until(ExpectedConditions.textToBe(By.cssSelector(".entity-head h1"), "payments"));
        assertThat(browser.getCurrentUrl()).endsWith("/portal/catalog/default/group/payments");
        assertThat(texts(".ref-list a")).contains("Alice Developer", "Bob Lead");
        screenshot("07-owner");

        browser.navigate().back();
        await().until(ExpectedConditions.textToBe(By.cssSelector(".entity-head h1"), "Payment Gateway"));
        click(By.cssSelector(".relation-group a[href$='/api/payments-api']"));
        await().until(ExpectedConditions.textToBe(By.cssSelector(".entity-head h1"), "payments-api"));
        assertThat(texts("table.operations tbody tr")).containsExactly("POST /payments Create a payment",
                "GET /payments/{id} Read a payment");
        assertThat(browser.findElements(By.cssSelector("svg.graph a.graph-node"))).isNotEmpty();
        assertThat(browser.executeScript("return window.portalTestMarker")).isEqualTo("kept");
        assertThat(browser.executeScript("return window.cspViolations")).asList().isEmpty();
        screenshot("08-api");

        // Register a file: preview first, nothing stored until the second button.
        open("/portal/catalog");
        click(By.linkText("Register existing component"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.id("target")));
        screenshot("09-register-form");
        browser.findElement(By.cssSelector("input[name=type][value=file]")).click();
        browser.findElement(By.id("target")).sendKeys(REGISTER_FIXTURE);
        click(By.xpath("//button[normalize-space()='Preview']"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".preview-table")));
        assertThat(texts(".preview-table tbody tr").getFirst()).contains("Fraud Check", "Valid");
        assertThat(texts(".preview-table tr.invalid .problems li").getFirst()).contains("bad name!");
        screenshot("10-register-preview");
        click(By.xpath("//button[normalize-space()='Register 1 entity']"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".result")));
        screenshot("11-registered");
        click(By.linkText("Fraud Check"));
        await().until(ExpectedConditions.textToBe(By.cssSelector(".entity-head h1"), "Fraud Check"));

        // A page that does not exist, in the shell.
        open("/portal/catalog/default/component/does-not-exist");
        assertThat(text(".error-page h1")).isEqualTo("Not found");
        screenshot("12-not-found");

        // Sign out: the host's logout, with the CSRF token the page carries.
        click(By.cssSelector("form.sign-out button"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".topbar a.button")));
        assertThat(browser.findElements(By.cssSelector(".whoami-name"))).isEmpty();
        screenshot("13-signed-out");
    }

    @Test
    void carolIsToldSheMayNotRegister() {
        open("/login");
        browser.findElement(By.name("username")).sendKeys("carol");
        browser.findElement(By.name("password")).sendKeys(UiTestApplication.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().until(ExpectedConditions.textToBe(By.cssSelector(".whoami-name"), "Carol Admin"));
        assertThat(browser.findElements(By.linkText("Register an existing component"))).isEmpty();

        open("/portal/register");
        assertThat(text(".error-page h1")).isEqualTo("You may not do this");
        screenshot("14-register-refused");
        click(By.cssSelector("form.sign-out button"));
        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".topbar a.button")));
    }

    // --- helpers

    private void open(String path) {
        chromium.open(path);
    }

    private WebDriverWait await() {
        return chromium.await();
    }

    private void click(By by) {
        chromium.click(by);
    }

    private void clickFacet(String facet, String value) {
        click(By.xpath("//section[@class='facet'][h2[normalize-space()='" + facet + "']]"
                + "//a[span[@class='facet-label'][normalize-space()='" + value + "']]"));
    }

    private String text(String css) {
        return chromium.text(css);
    }

    private List<String> texts(String css) {
        return chromium.texts(css);
    }

    private void screenshot(String name) {
        chromium.screenshot(name);
    }
}
