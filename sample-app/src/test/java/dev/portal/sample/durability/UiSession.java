package dev.portal.sample.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person in a browser, as far as the server can tell: signed in once through the sample's form at
 * {@code /login}, then a session cookie and the page's CSRF token on every form post. Unlike the
 * REST client's HTTP Basic, nothing checks a password per request.
 */
final class UiSession {

    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern META_TOKEN = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\">");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();

    private UiSession(String base) {
        this.base = base;
    }

    /** Signs {@code user} (password {@code demo}) in at {@code base}. */
    static UiSession signIn(String base, String user) {
        UiSession session = new UiSession(base);
        String token = match(FORM_TOKEN, session.page("/login"), "/login");
        HttpResponse<String> signedIn = session.send(session.form("/login",
                Map.of("username", user, "password", "demo", "_csrf", token)));
        String location = signedIn.headers().firstValue("Location").orElse("");
        if (signedIn.statusCode() != 302 || location.contains("error")) {
            throw new IllegalStateException("signing in as " + user + ": " + signedIn.statusCode() + " " + location);
        }
        return session;
    }

    /** A page's HTML, which must answer 200. */
    String page(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path)).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + response.statusCode());
        }
        return response.body();
    }

    /** The CSRF token a signed-in page carries for its forms and scripts. */
    static String csrfToken(String html, String path) {
        return match(META_TOKEN, html, path);
    }

    /** Posts a form as the page's own form would; answers the status (a redirect after success). */
    int post(String path, Map<String, String> fields) {
        return send(form(path, fields)).statusCode();
    }

    private HttpRequest.Builder form(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String match(Pattern pattern, String html, String path) {
        Matcher matcher = pattern.matcher(html);
        if (!matcher.find()) {
            throw new IllegalStateException(path + " has no CSRF token");
        }
        return matcher.group(1);
    }
}
