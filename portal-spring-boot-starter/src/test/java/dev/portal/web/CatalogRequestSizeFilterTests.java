package dev.portal.web;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogRequestSizeFilterTests {

    private final CatalogRequestSizeFilter filter = new CatalogRequestSizeFilter(10);

    @Test
    void passesAnHttp1RequestWithoutABodyOnUnwrapped() throws Exception {
        MockHttpServletRequest get = request("GET", "HTTP/1.1");

        assertThat(filtered(get).getRequest()).isSameAs(get);
    }

    @Test
    void countsAChunkedBodyWhoseLengthIsNotDeclared() throws Exception {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/api/catalog/entities/by-refs") {
            @Override
            public long getContentLengthLong() {
                return -1; // chunked: no Content-Length
            }
        };
        post.setProtocol("HTTP/1.1");
        post.addHeader("Transfer-Encoding", "chunked");
        post.setContent("x".repeat(11).getBytes());

        MockFilterChain chain = filtered(post);

        assertThat(chain.getRequest()).isNotSameAs(post);
        assertThatThrownBy(() -> chain.getRequest().getInputStream().readAllBytes())
                .isInstanceOf(RequestTooLargeException.class);
    }

    @Test
    void countsABodyOfUnstatedLengthOverHttp2() throws Exception {
        MockHttpServletRequest post = request("POST", "HTTP/2.0");

        assertThat(filtered(post).getRequest()).isNotSameAs(post);
    }

    @Test
    void refusesADeclaredLengthOverTheLimitBeforeReadingAnything() throws Exception {
        MockHttpServletRequest post = request("POST", "HTTP/1.1");
        post.setContent("x".repeat(11).getBytes());
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        filter.doFilter(post, response, chain);

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(chain.getRequest()).isNull();
    }

    private static MockHttpServletRequest request(String method, String protocol) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/api/catalog/entities/by-refs");
        request.setProtocol(protocol);
        return request;
    }

    private MockFilterChain filtered(MockHttpServletRequest request) throws ServletException, IOException {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, new MockHttpServletResponse(), chain);
        return chain;
    }
}
