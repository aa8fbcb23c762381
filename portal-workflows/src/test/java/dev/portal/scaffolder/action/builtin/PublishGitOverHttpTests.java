package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.ingest.GitTarget;
import dev.portal.catalog.model.EntityRef;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionLog;
import dev.portal.scaffolder.action.RunInfo;
import dev.portal.scaffolder.template.TemplateDefinition;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.resolver.FileResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Publishing to a smart-HTTP git server (JGit's GitServlet on Jetty) that wants Basic credentials. */
class PublishGitOverHttpTests {

    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret-token";

    @TempDir
    static Path serverRoot;

    private static Server server;
    private static String urlPattern;

    @TempDir
    Path workspace;

    private final List<String> log = new ArrayList<>();

    @BeforeAll
    static void startGitServer() throws Exception {
        GitServlet git = new GitServlet();
        git.setRepositoryResolver(new FileResolver<>(serverRoot.toFile(), true));
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(git), "/git/*");
        context.addFilter(new FilterHolder(new BasicAuthentication()), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        urlPattern = "http://127.0.0.1:" + connector.getLocalPort() + "/git/{owner}/{name}.git";
    }

    @AfterAll
    static void stopGitServer() throws Exception {
        server.stop();
    }

    @BeforeEach
    void writeSkeleton() throws IOException {
        Files.createDirectories(workspace.resolve("skeleton"));
        Files.writeString(workspace.resolve("skeleton/catalog-info.yaml"), "kind: Component\n");
        Files.writeString(workspace.resolve("skeleton/README.md"), "# hello\n");
    }

    @Test
    void pushesTheCommitWithTheConfiguredCredentials() throws Exception {
        Path repository = hostedRepository("pushes");
        UUID run = UUID.randomUUID();

        PublishGitAction.Output output = authenticated().execute(input("pushes"), context(run, "publish"));

        try (Repository hosted = Git.open(repository.toFile()).getRepository()) {
            RevCommit head = hosted.parseCommit(hosted.resolve("refs/heads/main"));
            assertThat(head.name()).isEqualTo(output.commitId());
            assertThat(head.getFooterLines("Portal-Run")).containsExactly(run.toString());
        }
        String url = urlPattern.replace("{owner}", "team-a").replace("{name}", "pushes");
        assertThat(output.remoteUrl()).isEqualTo(url);
        assertThat(GitTarget.parse(output.catalogInfoUrl())).isEqualTo(new GitTarget(url, "main", "catalog-info.yaml"));
    }

    @Test
    void returnsTheEarlierCommitWhenTheSameStepRunsAgain() throws Exception {
        hostedRepository("again");
        ActionContext context = context(UUID.randomUUID(), "publish");
        PublishGitAction.Output first = authenticated().execute(input("again"), context);

        PublishGitAction.Output second = authenticated().execute(input("again"), context);

        assertThat(second.commitId()).isEqualTo(first.commitId());
        assertThat(log).anyMatch(line -> line.contains("nothing to push"));
    }

    @Test
    void refusesAHostedRepositoryThatAlreadyHasCommits() throws Exception {
        Path repository = hostedRepository("taken");
        authenticated().execute(input("taken"), context(UUID.randomUUID(), "publish"));
        String earlierRun = head(repository);

        assertThatThrownBy(() -> authenticated().execute(input("taken"), context(UUID.randomUUID(), "publish")))
                .isInstanceOfSatisfying(ActionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("portal.repository-exists"));
        assertThat(head(repository)).isEqualTo(earlierRun);
    }

    @Test
    void failsAsATechnicalErrorWithWrongCredentialsAndPushesNothing() throws Exception {
        Path repository = hostedRepository("denied");
        PublishGitAction action = new PublishGitAction(GitPublishSettings.of(urlPattern).withCredentials(USER, "wrong"));

        assertThatThrownBy(() -> action.execute(input("denied"), context(UUID.randomUUID(), "publish")))
                .isInstanceOf(TransportException.class)
                .hasMessageNotContaining("wrong");
        try (Repository hosted = Git.open(repository.toFile()).getRepository()) {
            assertThat(hosted.getRefDatabase().getRefsByPrefix(Constants.R_REFS)).isEmpty();
        }
    }

    @Test
    void failsAsATechnicalErrorWhenTheHostHasNoSuchRepository() {
        assertThatThrownBy(() -> authenticated().execute(input("missing"), context(UUID.randomUUID(), "publish")))
                .isInstanceOf(TransportException.class)
                .isNotInstanceOf(ActionException.class);
        assertThat(serverRoot.resolve("team-a/missing.git")).doesNotExist();
    }

    @Test
    void neverLogsTheCredentials() throws Exception {
        hostedRepository("quiet");

        authenticated().execute(input("quiet"), context(UUID.randomUUID(), "publish"));

        assertThat(log).isNotEmpty().noneMatch(line -> line.contains(PASSWORD));
    }

    private static PublishGitAction authenticated() {
        return new PublishGitAction(GitPublishSettings.of(urlPattern).withCredentials(USER, PASSWORD));
    }

    /** An empty repository, as a git host creates it before the first push. */
    private static Path hostedRepository(String name) throws Exception {
        Path repository = serverRoot.resolve("team-a").resolve(name + ".git");
        Git.init().setBare(true).setDirectory(repository.toFile()).setInitialBranch("main").call().close();
        return repository;
    }

    private static String head(Path repository) throws IOException {
        try (Repository hosted = Git.open(repository.toFile()).getRepository()) {
            return hosted.resolve("refs/heads/main").name();
        }
    }

    private static PublishGitAction.Input input(String name) {
        return new PublishGitAction.Input(name, "team-a", "skeleton", null, null, null);
    }

    private ActionContext context(UUID run, String step) {
        TemplateDefinition template = new TemplateDefinition(EntityRef.parse("template:default/service"), "Service",
                "", List.of(), "group:default/platform", "etag-1", List.of(), "create-service",
                Optional.empty(), Optional.empty(), Optional.empty());
        RunInfo info = new RunInfo(run, template, "etag-1@1", JsonNodeFactory.instance.objectNode(),
                "user:default/alice");
        return new ActionContext(info, step, workspace, false, new ActionLog() {
            @Override
            public void info(String message) {
                log.add(message);
            }

            @Override
            public void warn(String message) {
                log.add(message);
            }
        });
    }

    /**
     * Basic authentication in front of the git servlet. The authenticated request carries a remote
     * user, which JGit's default receive-pack factory requires before it accepts a push.
     */
    private static final class BasicAuthentication extends HttpFilter {

        private static final String EXPECTED = "Basic " + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!EXPECTED.equals(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public String getRemoteUser() {
                    return USER;
                }
            }, response);
        }
    }
}
