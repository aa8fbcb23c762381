package dev.portal.catalog.ingest;

import dev.portal.catalog.model.CatalogText;
import dev.portal.catalog.model.LocationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads {@code url} locations that are plain HTTP(S) files (a descriptor on a web server, a
 * configuration service), behind the {@link ReadingAllowList}: every request is checked first,
 * redirects one hop at a time. A response larger than the descriptor limit is refused unread or cut
 * off at the limit, and the whole read (connection, headers and body) is held to the timeout.
 *
 * <p>The version is the response's {@code ETag}, else its {@code Last-Modified}, else a hash of the
 * content; the next read sends it back ({@code If-None-Match} / {@code If-Modified-Since}), and a
 * {@code 304 Not Modified} means the file is not processed again.
 */
public final class HttpLocationReader implements LocationReader {

    private static final int MAX_REDIRECTS = 5;
    private static final String ETAG = "etag ";
    private static final String LAST_MODIFIED = "last-modified ";
    private static final String HASH = "sha256 ";

    private final int maxBytes;
    private final Duration timeout;
    private final ReadingAllowList allowList;
    private final HttpClient client;

    /**
     * @param maxBytes the largest descriptor read
     * @param timeout how long one read may take, connecting, waiting and transferring together
     * @param allowList which URLs may be read
     */
    public HttpLocationReader(int maxBytes, Duration timeout, ReadingAllowList allowList) {
        this.maxBytes = maxBytes;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public String type() {
        return LocationSpec.URL;
    }

    /** Why a URL may not be read, or empty if it may: the allow-list's answer. */
    public Optional<String> refusal(LocationSpec location) {
        try {
            return allowList.refusal(new URI(location.target()));
        } catch (URISyntaxException e) {
            return Optional.of("'" + location.target() + "' is not a URL: " + e.getReason());
        }
    }

    @Override
    public SourceContent read(LocationSpec location, String knownVersion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI url = uri(location, location.target());
        for (int hop = 0; ; hop++) {
            Optional<String> refusal = allowList.refusal(url);
            if (refusal.isPresent()) {
                throw new LocationReadException(location, (hop == 0 ? "" : "redirected to " + url + ", which ")
                        + refusal.get());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(remaining(location, deadline))
                    .header("Accept", "application/yaml, application/json, text/plain, */*");
            if (knownVersion != null && knownVersion.startsWith(ETAG)) {
                request.header("If-None-Match", knownVersion.substring(ETAG.length()));
            } else if (knownVersion != null && knownVersion.startsWith(LAST_MODIFIED)) {
                request.header("If-Modified-Since", knownVersion.substring(LAST_MODIFIED.length()));
            }
            HttpResponse<InputStream> response = send(location, request.build(), deadline);
            int status = response.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                closeQuietly(response.body());
                String next = response.headers().firstValue("Location").orElseThrow(() ->
                        new LocationReadException(location, "HTTP " + status + " from " + hostOf(response)
                                + " without a Location header"));
                if (hop >= MAX_REDIRECTS) {
                    throw new LocationReadException(location, "more than " + MAX_REDIRECTS + " redirects");
                }
                url = url.resolve(uri(location, next));
                continue;
            }
            if (status == 304 && knownVersion != null) {
                closeQuietly(response.body());
                return SourceContent.unchanged(knownVersion);
            }
            if (status != 200) {
                closeQuietly(response.body());
                throw new LocationReadException(location, "HTTP " + status + " from " + hostOf(response)
                        + (status == 404 ? " (no such file)" : ""));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxBytes) {
                closeQuietly(response.body());
                throw new LocationReadException(location, "the descriptor is " + length + " bytes, larger than "
                        + maxBytes + " bytes, the limit for one descriptor file (ParserLimits.maxBytes)");
            }
            byte[] content = body(location, response.body(), deadline);
            // a stored version has at most 128 characters; a longer validator is not worth keeping
            String version = response.headers().firstValue("ETag").map(etag -> ETAG + etag)
                    .or(() -> response.headers().firstValue("Last-Modified").map(modified -> LAST_MODIFIED + modified))
                    .filter(validator -> validator.length() <= 128 && CatalogText.isStorable(validator))
                    .orElseGet(() -> HASH + BoundedRead.sha256(content));
            return version.equals(knownVersion) ? SourceContent.unchanged(version) : new SourceContent(version, content);
        }
    }

    @Override
    public LocationSpec resolve(LocationSpec base, String target) {
        URI resolved = uri(base, base.target()).resolve(uri(base, target));
        String scheme = resolved.getScheme() == null ? "" : resolved.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new LocationReadException(base, "target '" + target + "' is not an http(s) URL; a location read"
                    + " over HTTP may name only other URLs");
        }
        return new LocationSpec(LocationSpec.URL, resolved.toString());
    }

    private static URI uri(LocationSpec location, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new LocationReadException(location, "'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private Duration remaining(LocationSpec location, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw timedOut(location);
        }
        return Duration.ofNanos(left);
    }

    private HttpResponse<InputStream> send(LocationSpec location, HttpRequest request, long deadline) {
        CompletableFuture<HttpResponse<InputStream>> response =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            return response.get(remaining(location, deadline).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw timedOut(location);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new LocationReadException(location, "interrupted while reading");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(location);
            }
            throw new LocationReadException(location, "cannot reach " + request.uri().getHost() + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()), cause);
        }
    }

    /** The body, at most the limit, within what is left of the timeout; a body that stalls is closed. */
    private byte[] body(LocationSpec location, InputStream in, long deadline) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().name("portal-http-read").start(() -> {
            try (in) {
                result.complete(BoundedRead.readAtMost(in, maxBytes, location));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(remaining(location, deadline).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            closeQuietly(in);
            throw timedOut(location);
        } catch (InterruptedException e) {
            closeQuietly(in);
            Thread.currentThread().interrupt();
            throw new LocationReadException(location, "interrupted while reading");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new LocationReadException(location, "the response could not be read: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    private LocationReadException timedOut(LocationSpec location) {
        return new LocationReadException(location, "reading took longer than " + timeout.toMillis()
                + " ms (portal.catalog.refresh.read-timeout)");
    }

    private static String hostOf(HttpResponse<?> response) {
        return response.uri().getHost();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing left to read from it either way
        }
    }
}
