package dev.portal.catalog.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.transport.resolver.FileResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local HTTP server for tests (Jetty on 127.0.0.1, a free port): JGit's smart-HTTP git server for
 * the bare repositories under a folder, plain files with ETags, and canned JSON answers (a host's REST
 * API). Records the requests it gets.
 */
public final class TestHttpServer implements AutoCloseable {

    private final Server server;
    private final Map<String, Response> files = new ConcurrentHashMap<>();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String basicCredentials;
    private volatile String requiredToken;

    /** What a path answers. */
    public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

        public static Response ok(String contentType, String body) {
            return new Response(200, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public static Response redirect(String location) {
            return new Response(302, "text/plain", new byte[0], Map.of("Location", location));
        }
    }

    /**
     * @param gitRoot where the bare repositories are, served as {@code /git/<name>} and at the root
     *     ({@code /<owner>/<repo>}, for URL shapes of GitHub and friends), or {@code null} for none
     */
    public TestHttpServer(Path gitRoot) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Dispatcher(gitRoot)), "/*");
        server.setHandler(context);
        server.start();
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void serve(String path, Response response) {
        files.put(path, response);
    }

    public void serve(String path, String contentType, String body) {
        serve(path, Response.ok(contentType, body));
    }

    /** Git requests then need HTTP Basic with these. */
    public void requireBasic(String user, String password) {
        basicCredentials = user == null ? null : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Canned answers then need this Authorization header value. */
    public void requireAuthorization(String value) {
        requiredToken = value;
    }

    /** Method and path (with query) of every request so far. */
    public List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class Dispatcher extends HttpServlet {

        private final GitServlet git;

        Dispatcher(Path gitRoot) {
            this.git = gitRoot == null ? null : new GitServlet();
            if (git != null) {
                git.setRepositoryResolver(new FileResolver<>(gitRoot.toFile(), true));
            }
        }

        @Override
        public void init() throws jakarta.servlet.ServletException {
            if (git != null) {
                git.init(getServletConfig());
            }
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException,
                jakarta.servlet.ServletException {
            String path = request.getRequestURI();
            String query = request.getQueryString();
            requests.add(request.getMethod() + " " + path + (query == null ? "" : "?" + query)
                    + (request.getHeader("If-None-Match") != null ? " if-none-match" : "")
                    + (request.getHeader("If-Modified-Since") != null ? " if-modified-since" : ""));
            Response canned = files.get(query == null ? path : path + "?" + query);
            if (canned == null) {
                canned = files.get(path);
            }
            if (canned != null) {
                if (requiredToken != null && !requiredToken.equals(request.getHeader("Authorization"))) {
                    response.sendError(401);
                    return;
                }
                String etag = canned.headers().get("ETag");
                if (etag != null && etag.equals(request.getHeader("If-None-Match"))) {
                    response.setStatus(304);
                    return;
                }
                String delay = canned.headers().get("X-Test-Delay-Ms");
                if (delay != null) {
                    // a server that answers the headers and then stalls in the body
                    response.setStatus(canned.status());
                    response.setContentType(canned.contentType());
                    response.getOutputStream().write(canned.body(), 0, Math.min(10, canned.body().length));
                    response.flushBuffer();
                    try {
                        Thread.sleep(Long.parseLong(delay));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return;
                }
                response.setStatus(canned.status());
                canned.headers().forEach(response::setHeader);
                response.setContentType(canned.contentType());
                response.getOutputStream().write(canned.body());
                return;
            }
            if (git == null) {
                response.sendError(404);
                return;
            }
            if (basicCredentials != null && !basicCredentials.equals(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                response.sendError(401);
                return;
            }
            git.service(path.startsWith("/git/") ? new Rewritten(request, path.substring(4)) : new Rewritten(request, path),
                    response);
        }
    }

    /** GitServlet reads the repository from the path info. */
    private static final class Rewritten extends jakarta.servlet.http.HttpServletRequestWrapper {

        private final String pathInfo;

        Rewritten(HttpServletRequest request, String pathInfo) {
            super(request);
            this.pathInfo = pathInfo;
        }

        @Override
        public String getPathInfo() {
            return pathInfo;
        }

        @Override
        public String getServletPath() {
            return "";
        }
    }
}
