package dev.portal.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One headless Debian chromium for the UI's browser tests, driven through chromedriver by Selenium,
 * with a profile of its own (so two of them are two people), quiet on a closed network, and
 * whole-page screenshots into {@code target/ui-screens/}. The browser must be there: without it
 * this fails, naming the packages to install ({@code .ci/run} installs them), rather than letting
 * a test be skipped.
 */
final class UiBrowser implements AutoCloseable {

    static final Path BROWSER = Path.of(System.getProperty("portal.ui.test.browser", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
    static final Path SCREENS = Path.of(System.getProperty("portal.ui.test.screenshots", "target/ui-screens"));

    final ChromeDriver driver;
    private final Path profile;
    private final int port;

    private UiBrowser(ChromeDriver driver, Path profile, int port) {
        this.driver = driver;
        this.profile = profile;
        this.port = port;
    }

    static UiBrowser start(int port) throws IOException {
        for (Path binary : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver, but "
                        + binary + " is missing. Install them with: apt-get install -y chromium chromium-driver"
                        + " (.ci/run does this on a fresh machine).");
            }
        }
        Path profile = Files.createTempDirectory("portal-ui-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // Headless, and quiet on a closed network: no background requests, updates or sync.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1360,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        Files.createDirectories(SCREENS);
        return new UiBrowser(new ChromeDriver(service, options), profile, port);
    }

    void open(String path) {
        driver.get("http://127.0.0.1:" + port + path);
    }

    WebDriverWait await() {
        return await(Duration.ofSeconds(10));
    }

    WebDriverWait await(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    void click(By by) {
        await().until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    List<String> texts(String css) {
        return driver.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    /** Signs in through the host's form login. */
    void signIn(String user, String password) {
        open("/login");
        driver.findElement(By.name("username")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        await().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".whoami-name")));
    }

    /** Records violations of the page's Content-Security-Policy from now on (until the next full load). */
    void watchContentSecurityPolicy() {
        driver.executeScript("window.cspViolations = [];"
                + " document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");
    }

    @SuppressWarnings("unchecked")
    List<Object> contentSecurityPolicyViolations() {
        return (List<Object>) driver.executeScript("return window.cspViolations || []");
    }

    /** The whole page, not only the window: Chrome's own capture beyond the viewport. */
    void screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        long width = Math.round(((Number) size.get("width")).doubleValue());
        long height = Math.min(6000, Math.round(((Number) size.get("height")).doubleValue()));
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        try {
            Files.write(SCREENS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
