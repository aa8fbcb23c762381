package dev.portal.autoconfigure.workflows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.approval.ApprovalInbox;
import dev.portal.autoconfigure.catalog.PortalCatalogAutoConfiguration;
import dev.portal.autoconfigure.catalog.TestDatabase;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.action.builtin.PublishGitAction;
import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.RecordStreamIncidentLookup;
import dev.portal.scaffolder.zeebe.SearchApiIncidentLookup;
import dev.portal.scaffolder.zeebe.WorkerSettings;
import dev.portal.scaffolder.zeebe.ZeebeActionWorkers;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.client.spring.configuration.CamundaAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PortalWorkflowsAutoConfigurationTests {

    private static TestDatabase database;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JacksonAutoConfiguration.class,
                    PortalCatalogAutoConfiguration.class, CamundaAutoConfiguration.class,
                    PortalWorkflowsAutoConfiguration.class))
            .withPropertyValues("portal.catalog.refresh.enabled=false");

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    private ApplicationContextRunner withDatabase() {
        return contextRunner.withPropertyValues(database.datasourceProperties());
    }

    @Test
    void setsUpTheScaffolderWithTheBuiltInActions() {
        withDatabase().withPropertyValues("portal.scaffolder.git.url-pattern=file:///tmp/portal-test-git/{name}.git")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(Scaffolder.class);
                    assertThat(ctx.getBean(ActionRegistry.class).all()).extracting(ScaffolderAction::id)
                            .contains("portal.fetch-template", "portal.publish-git", "portal.catalog-register",
                                    "portal.openapi-generate", "portal.log");
                });
    }

    @Test
    void sizesTheWorkersAndTheirTimeoutsFromProperties() {
        withDatabase().withPropertyValues("portal.scaffolder.worker.threads=3", "portal.scaffolder.worker.timeout=20s",
                        "portal.scaffolder.worker.timeouts[portal.openapi-generate]=2m",
                        "portal.scaffolder.worker.max-action-time=10m",
                        "portal.scaffolder.worker.max-action-times[portal.publish-git]=1h",
                        "portal.approvals.activation-timeout=5s")
                .run(ctx -> {
                    WorkerSettings settings = ctx.getBean(ZeebeActionWorkers.class).settings();
                    assertThat(settings.threads()).isEqualTo(3);
                    assertThat(settings.timeoutOf("portal.openapi-generate")).isEqualTo(Duration.ofMinutes(2));
                    assertThat(settings.timeoutOf("portal.log")).isEqualTo(Duration.ofSeconds(20));
                    assertThat(settings.heartbeatOf("portal.log")).isEqualTo(Duration.ofSeconds(20).dividedBy(3));
                    assertThat(settings.maxActionTimeOf("portal.publish-git")).isEqualTo(Duration.ofHours(1));
                    assertThat(settings.maxActionTimeOf("portal.log")).isEqualTo(Duration.ofMinutes(10));
                    assertThat(ctx.getBean(ZeebeApprovals.class).activationTimeout()).isEqualTo(Duration.ofSeconds(5));
                });
    }

    @Test
    void keepsJobsShortAndActionsOffTheClientsThreadByDefault() {
        withDatabase().run(ctx -> {
            WorkerSettings settings = ctx.getBean(ZeebeActionWorkers.class).settings();
            assertThat(settings.threads()).isEqualTo(WorkerSettings.DEFAULT_THREADS);
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(settings.maxActionTimeOf("portal.publish-git")).isEqualTo(Duration.ofMinutes(30));
            assertThat(ctx.getBean(ZeebeApprovals.class).activationTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void leavesPublishingOutWithoutAUrlPattern() {
        withDatabase().run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(PublishGitAction.class));
    }

    @Test
    void registersAHostsOwnActionAndLetsItReplaceABuiltInOne() {
        withDatabase().withBean("echo", EchoAction.class, EchoAction::new)
                .withBean(LogAction.class, LogAction::new)
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().hasSingleBean(LogAction.class);
                    assertThat(ctx.getBean(ActionRegistry.class).find("test.echo")).isPresent();
                });
    }

    @Test
    void refusesToStartWhenTwoActionsClaimOneId() {
        withDatabase().withBean("echo", EchoAction.class, EchoAction::new)
                .withBean("echoAgain", EchoAction.class, EchoAction::new)
                .run(ctx -> assertThat(ctx).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("two actions claim the id 'test.echo'"));
    }

    @Test
    void setsUpTheApprovalInboxUnlessDisabled() {
        withDatabase().run(ctx -> assertThat(ctx).hasSingleBean(ApprovalInbox.class).hasSingleBean(ApprovalLifecycle.class));
        withDatabase().withPropertyValues("portal.approvals.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(ApprovalInbox.class).hasSingleBean(Scaffolder.class));
    }

    @Test
    void backsOffWhenDisabled() {
        withDatabase().withPropertyValues("portal.scaffolder.enabled=false")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Scaffolder.class));
    }

    @Test
    void backsOffWithoutTheCatalog() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, CamundaAutoConfiguration.class,
                        PortalWorkflowsAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Scaffolder.class));
    }

    @Test
    void usesTheClustersSearchApiForIncidentsWithoutTheEmbeddedEngine() {
        withDatabase().run(ctx -> assertThat(ctx.getBean(IncidentLookup.class)).isInstanceOf(SearchApiIncidentLookup.class));
    }

    @Test
    void startsTheEmbeddedEngineAndPointsTheClientAtIt() {
        withDatabase().withPropertyValues("portal.workflows.embedded-engine.enabled=true").run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(EmbeddedZeebeEngine.class);
            assertThat(ctx.getBean(IncidentLookup.class)).isInstanceOf(RecordStreamIncidentLookup.class);
            String port = ctx.getEnvironment().getProperty("portal.workflows.embedded-engine.resolved-port");
            assertThat(ctx.getEnvironment().getProperty("camunda.client.grpc-address")).isEqualTo("http://127.0.0.1:" + port);
            assertThat(ctx.getBean(EmbeddedZeebeEngine.class).gatewayAddress()).endsWith(":" + port);
        });
    }

    @Test
    void deploysTheConfiguredProcessesAtStartUp() {
        withDatabase().withPropertyValues("portal.workflows.embedded-engine.enabled=true",
                "portal.workflows.processes=classpath*:processes/good/*.bpmn").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            var instance = ctx.getBean(io.camunda.client.CamundaClient.class).newCreateInstanceCommand()
                    .bpmnProcessId("greeting").latestVersion().send().join();
            assertThat(instance.getVersion()).isEqualTo(1);
        });
    }

    @Test
    void refusesToStartWithAProcessWhoseJobTypeNoActionHandles() {
        withDatabase().withPropertyValues("portal.workflows.embedded-engine.enabled=true",
                "portal.workflows.processes=classpath*:processes/typo/*.bpmn").run(ctx -> assertThat(ctx).hasFailed()
                .getFailure().rootCause()
                .hasMessageContaining("typo.bpmn: element 'publish' (serviceTask) uses job type 'portal.publsh-git'"));
    }

    @Test
    void withoutTheEngineOnTheClassPathTheEmbeddedEngineIsNotStarted() {
        withDatabase().withPropertyValues("portal.workflows.embedded-engine.enabled=true")
                .withClassLoader(new FilteredClassLoader("io.camunda.zeebe.process.test"))
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(EmbeddedZeebeEngine.class));
    }

    @Test
    void shutsDownPromptlyWhenTheClusterCannotBeReached() throws Exception {
        ApplicationContextRunner unreachable = withDatabase().withPropertyValues(
                "camunda.client.grpc-address=http://127.0.0.1:1", "camunda.client.prefer-rest-over-grpc=false");
        CompletableFuture<Void> closed = new CompletableFuture<>();
        unreachable.run(ctx -> {
            ctx.getBean(ScaffolderWorkers.class).start();
            Thread.sleep(1500);
            ConfigurableApplicationContext context = (ConfigurableApplicationContext) ctx.getSourceApplicationContext();
            CompletableFuture.runAsync(context::close).whenComplete((done, failure) -> closed.complete(null));
            closed.get(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS);
        });
        assertThat(closed).isDone();
    }

    static class EchoAction implements ScaffolderAction<ObjectNode, ObjectNode> {
        @Override
        public String id() {
            return "test.echo";
        }

        @Override
        public String description() {
            return "echo";
        }

        @Override
        public Class<ObjectNode> inputType() {
            return ObjectNode.class;
        }

        @Override
        public ObjectNode inputSchema() {
            return ActionSchemas.parse("{\"type\":\"object\"}");
        }

        @Override
        public ObjectNode outputSchema() {
            return ActionSchemas.parse("{\"type\":\"object\"}");
        }

        @Override
        public ObjectNode execute(ObjectNode input, ActionContext context) {
            return input;
        }
    }
}
