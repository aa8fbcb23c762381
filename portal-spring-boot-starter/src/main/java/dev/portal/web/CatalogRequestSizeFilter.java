package dev.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Refuses catalog API request bodies larger than {@code portal.catalog.api.max-request-size}:
 * with 413 and Backstage's error body at once when {@code Content-Length} says so, and by counting
 * bytes as they are read when it does not (chunked bodies), so no body is ever read without bound.
 * Requests without a body (most GETs and DELETEs) pass unwrapped: wrapping costs every later read of
 * the request a delegation, and by-name reads are the API's hottest path.
 */
public class CatalogRequestSizeFilter extends OncePerRequestFilter {

    private final long maxBytes;

    public CatalogRequestSizeFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            BackstageErrors.write(response, request, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    PortalErrorStatus.errorName(HttpStatus.PAYLOAD_TOO_LARGE), new RequestTooLargeException(maxBytes).getMessage());
            return;
        }
        chain.doFilter(declared >= 0 || hasNoBody(request) ? request : new Bounded(request, maxBytes), response);
    }

    /**
     * An HTTP/1.x request with neither {@code Content-Length} nor {@code Transfer-Encoding} has no
     * body (RFC 9112, 6.3). Other protocols (HTTP/2) may stream a body of unstated length: counted.
     */
    private static boolean hasNoBody(HttpServletRequest request) {
        String protocol = request.getProtocol();
        return protocol != null && protocol.startsWith("HTTP/1.") && request.getHeader("Transfer-Encoding") == null;
    }

    /** A request whose body stream fails once more than {@code maxBytes} have been read. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long maxBytes;
        private long count;

        CountingStream(ServletInputStream delegate, long maxBytes) {
            this.delegate = delegate;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestTooLargeException {
            count += n;
            if (count > maxBytes) {
                throw new RequestTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
