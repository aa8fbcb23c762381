package dev.portal.autoconfigure.workflows;

import dev.portal.approval.ApprovalInbox;
import dev.portal.approval.ApprovalListener;
import dev.portal.approval.ApprovalPolicy;
import dev.portal.approval.ApprovalStore;
import dev.portal.approval.CatalogGroups;
import dev.portal.approval.FormFields;
import dev.portal.autoconfigure.catalog.PortalCatalogAutoConfiguration;
import dev.portal.autoconfigure.catalog.PortalDatabase;
import dev.portal.catalog.Catalog;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.TemplateChecks;
import dev.portal.scaffolder.run.ProcessStore;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.action.builtin.CatalogCheckAction;
import dev.portal.scaffolder.action.builtin.CatalogRegisterAction;
import dev.portal.scaffolder.action.builtin.CatalogUnregisterAction;
import dev.portal.scaffolder.action.builtin.FetchTemplateAction;
import dev.portal.scaffolder.action.builtin.GitCommitAction;
import dev.portal.scaffolder.action.builtin.GitPublishSettings;
import dev.portal.scaffolder.action.builtin.LogAction;
import dev.portal.scaffolder.action.builtin.OpenApiGenerateAction;
import dev.portal.scaffolder.action.builtin.PublishGitAction;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.run.StepRunner;
import dev.portal.scaffolder.secret.SecretBox;
import dev.portal.scaffolder.run.Workspaces;
import dev.portal.scaffolder.template.TemplateResources;
import dev.portal.scaffolder.zeebe.IncidentLookup;
import dev.portal.scaffolder.zeebe.IncidentWatcher;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.scaffolder.zeebe.RunInstanceLookup;
import dev.portal.scaffolder.zeebe.SearchApiIncidentLookup;
import dev.portal.scaffolder.zeebe.SearchApiRunInstanceLookup;
import dev.portal.scaffolder.zeebe.WorkerSettings;
import dev.portal.scaffolder.zeebe.ZeebeActionWorkers;
import dev.portal.scaffolder.zeebe.ZeebeApprovals;
import io.camunda.client.CamundaClient;
import io.camunda.client.spring.configuration.CamundaAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnResource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The Scaffolder on Zeebe: run store, built-in actions (each replaceable), the action registry
 * (every {@link ScaffolderAction} bean, a host's own included), the job workers, the deployer and
 * the {@link Scaffolder}. Needs the catalog and a {@link CamundaClient} (Camunda's starter builds
 * it from {@code camunda.client.*}; with {@code portal.workflows.embedded-engine.enabled} it points
 * at the in-JVM engine).
 */
@AutoConfiguration(after = {PortalCatalogAutoConfiguration.class, CamundaAutoConfiguration.class})
@ConditionalOnClass({Scaffolder.class, CamundaClient.class})
@ConditionalOnBean({Catalog.class, PortalDatabase.class})
@ConditionalOnProperty(prefix = "portal.scaffolder", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({PortalScaffolderProperties.class, PortalWorkflowsProperties.class,
        PortalApprovalsProperties.class})
public class PortalWorkflowsAutoConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PortalWorkflowsAutoConfiguration.class);


    /** The in-JVM engine, when asked for (development and tests). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.camunda.zeebe.process.test.engine.EngineFactory")
    @ConditionalOnProperty(prefix = "portal.workflows.embedded-engine", name = "enabled")
    static class EmbeddedEngineConfiguration {

        @Bean
        static EmbeddedEnginePort portalEmbeddedEnginePort(org.springframework.core.env.ConfigurableEnvironment environment) {
            return new EmbeddedEnginePort(environment);
        }

        @Bean
        @ConditionalOnMissingBean
        EmbeddedZeebeEngine portalEmbeddedZeebeEngine(Environment environment) {
            return new EmbeddedZeebeEngine(environment.getRequiredProperty(EmbeddedEnginePort.PORT_PROPERTY, Integer.class));
        }
    }

    @Bean
    @ConditionalOnMissingBean
    PortalWorkflowsDatabase portalWorkflowsDatabase(DataSource dataSource, PortalDatabase catalog) {
        return PortalWorkflowsDatabase.migrate(dataSource, catalog);
    }

    @Bean
    @ConditionalOnMissingBean
    RunStore portalRunStore(PortalWorkflowsDatabase database) {
        return new RunStore(database.dsl());
    }

    @Bean
    @ConditionalOnMissingBean
    Workspaces portalWorkspaces(PortalScaffolderProperties properties) {
        return new Workspaces(properties.getWorkspaceRoot());
    }

    @Bean
    @ConditionalOnMissingBean
    LogAction portalLogAction() {
        return new LogAction();
    }

    @Bean
    @ConditionalOnMissingBean
    CatalogRegisterAction portalCatalogRegisterAction(Catalog catalog, PortalScaffolderProperties properties) {
        String pattern = properties.getGit().getUrlPattern();
        GitPublishSettings git = pattern == null ? null : gitSettings(properties);
        return new CatalogRegisterAction(catalog, url -> git != null && git.publishes(url));
    }

    /** Skeletons at absolute locations are fenced like locations users register (portal.catalog.allowed-*). */
    @Bean
    @ConditionalOnMissingBean
    FetchTemplateAction portalFetchTemplateAction(Catalog catalog) {
        return new FetchTemplateAction(catalog.settings().apiLocationPolicy());
    }

    /** Publishing needs a target: without portal.scaffolder.git.url-pattern there is no publish action. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "portal.scaffolder.git", name = "url-pattern")
    PublishGitAction portalPublishGitAction(PortalScaffolderProperties properties) {
        return new PublishGitAction(gitSettings(properties));
    }

    /** Later commits go only to repositories of the same URL pattern, so it needs one too. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "portal.scaffolder.git", name = "url-pattern")
    GitCommitAction portalGitCommitAction(PortalScaffolderProperties properties, EntityQueries entities) {
        return new GitCommitAction(gitSettings(properties), entities);
    }

    private static GitPublishSettings gitSettings(PortalScaffolderProperties properties) {
        PortalScaffolderProperties.Git git = properties.getGit();
        return new GitPublishSettings(git.getUrlPattern(), git.getUsername(), git.getPassword(),
                git.getDefaultBranch(), git.getAuthorName(), git.getAuthorEmail(), git.isCreateMissingFileRepositories(),
                git.getPushTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    CatalogCheckAction portalCatalogCheckAction(EntityQueries entities) {
        return new CatalogCheckAction(entities);
    }

    @Bean
    @ConditionalOnMissingBean
    CatalogUnregisterAction portalCatalogUnregisterAction(Catalog catalog) {
        return new CatalogUnregisterAction(catalog);
    }

    @Bean
    @ConditionalOnMissingBean
    OpenApiGenerateAction portalOpenApiGenerateAction(EntityQueries entities) {
        return new OpenApiGenerateAction(entities);
    }

    /** Every action bean, the host's included; two with one id fail the start-up naming both. */
    @Bean
    @ConditionalOnMissingBean
    ActionRegistry portalActionRegistry(ObjectProvider<ScaffolderAction<?, ?>> actions) {
        return new ActionRegistry(actions.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean
    StepRunner portalStepRunner(ActionRegistry actions, RunStore runs, Workspaces workspaces, SecretBox secrets) {
        return new StepRunner(actions, runs, workspaces, secrets);
    }

    /** Seals secret parameter values with portal.scaffolder.secrets.key, or a key of this JVM's when unset. */
    @Bean
    @ConditionalOnMissingBean
    SecretBox portalSecretBox(PortalScaffolderProperties properties) {
        String key = properties.getSecrets().getKey();
        if (key == null || key.isBlank()) {
            LOG.info("portal.scaffolder.secrets.key is not set: secret parameters are sealed with a key generated at"
                    + " start-up, so a step that needs one fails on other instances and after a restart");
            return SecretBox.ephemeral();
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("portal.scaffolder.secrets.key must be base64 (of 16, 24 or 32 bytes)");
        }
        return SecretBox.withKey(bytes);
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessDeployer portalProcessDeployer(CamundaClient client, ActionRegistry actions,
                                          PortalScaffolderProperties properties, ProcessStore processes,
                                          ObjectProvider<EmbeddedZeebeEngine> embedded) {
        startEmbeddedEngineFirst(embedded);
        return new ProcessDeployer(client, actions, new HashSet<>(properties.getExternalJobTypes()), processes);
    }

    /** Where the portal-bpmn module keeps the standard templates' forms and processes. */
    static final List<String> STANDARD_RESOURCES = List.of("classpath*:dev/portal/bpmn/forms/*.form",
            "classpath*:dev/portal/bpmn/processes/*.bpmn");

    /** Where the portal-bpmn jar keeps its resources, and the catalog location of its Template entities. */
    static final String STANDARD_ROOT = "dev/portal/bpmn";
    static final String STANDARD_TEMPLATES = STANDARD_ROOT + "/templates/all.yaml";

    @Bean
    @ConditionalOnMissingBean
    ProcessResources portalProcessResources(ProcessDeployer deployer, PortalWorkflowsProperties properties,
                                            org.springframework.context.ApplicationContext context) {
        return new ProcessResources(deployer, context,
                properties.isDeployStandardTemplates() ? STANDARD_RESOURCES : List.of(), properties.getProcesses());
    }

    /** The standard templates in the catalog, when the portal-bpmn module is on the class path. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "portal.workflows", name = "deploy-standard-templates", matchIfMissing = true)
    @ConditionalOnResource(resources = "classpath:" + STANDARD_TEMPLATES)
    StandardTemplates portalStandardTemplates(ProcessDeployer deployer,
                                              org.springframework.context.ApplicationContext context) {
        return new StandardTemplates(deployer, context, STANDARD_ROOT);
    }

    @Bean
    @ConditionalOnMissingBean
    IncidentLookup portalIncidentLookup(CamundaClient client, ObjectProvider<EmbeddedZeebeEngine> embedded) {
        EmbeddedZeebeEngine engine = embedded.getIfAvailable();
        return engine != null ? engine.incidents() : new SearchApiIncidentLookup(client);
    }

    @Bean
    @ConditionalOnMissingBean
    TemplateResources portalTemplateResources(ObjectProvider<LocationReader> readers) {
        return new TemplateResources(PortalCatalogAutoConfiguration.firstReaderPerType(readers),
                Thread.currentThread().getContextClassLoader());
    }

    @Bean
    @ConditionalOnMissingBean
    ZeebeActionWorkers portalZeebeActionWorkers(CamundaClient client, StepRunner runner, RunStore runs,
                                                Workspaces workspaces, PortalScaffolderProperties properties,
                                                ObjectProvider<EmbeddedZeebeEngine> embedded) {
        startEmbeddedEngineFirst(embedded);
        PortalScaffolderProperties.Worker worker = properties.getWorker();
        return new ZeebeActionWorkers(client, runner, runs, workspaces, new WorkerSettings(worker.getName(),
                worker.getTimeout(), worker.getMaxJobsActive(), worker.getPollInterval(), worker.getRetryBackoff(),
                worker.isStreamEnabled(), worker.getThreads(), worker.getTimeouts(), worker.getMaxActionTime(),
                worker.getMaxActionTimes()));
    }

    @Bean
    @ConditionalOnMissingBean
    ScaffolderWorkers portalScaffolderWorkers(ZeebeActionWorkers workers) {
        return new ScaffolderWorkers(workers);
    }

    @Bean
    @ConditionalOnMissingBean
    RunInstanceLookup portalRunInstanceLookup(CamundaClient client, ObjectProvider<EmbeddedZeebeEngine> embedded) {
        EmbeddedZeebeEngine engine = embedded.getIfAvailable();
        return engine != null ? engine.runInstances() : new SearchApiRunInstanceLookup(client);
    }

    @Bean
    @ConditionalOnMissingBean
    IncidentWatcher portalIncidentWatcher(RunStore runs, IncidentLookup incidents, RunInstanceLookup instances) {
        return new IncidentWatcher(runs, incidents, IncidentWatcher.DEFAULT_START_GRACE, instances);
    }

    @Bean
    @ConditionalOnMissingBean
    IncidentSweeps portalIncidentSweeps(IncidentWatcher watcher, PortalScaffolderProperties properties) {
        return new IncidentSweeps(watcher, properties.getIncidentCheckInterval());
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessStore portalProcessStore(PortalWorkflowsDatabase database) {
        return new ProcessStore(database.dsl());
    }

    @Bean
    @ConditionalOnMissingBean
    Scaffolder portalScaffolder(EntityQueries entities, RunStore runs, ProcessStore processes, ActionRegistry actions,
                                ProcessDeployer deployer, TemplateResources resources, CamundaClient client,
                                IncidentLookup incidents, Workspaces workspaces, SecretBox secrets) {
        return new Scaffolder(entities, runs, processes, actions, deployer, resources, client, incidents, workspaces, secrets);
    }

    /** Checks each template's BPMN when the catalog stores the template (a catalog processing listener). */
    @Bean
    @ConditionalOnMissingBean
    TemplateChecks portalTemplateChecks(ObjectProvider<Scaffolder> scaffolder) {
        return new TemplateChecks(scaffolder::getObject);
    }

    /** Group membership from the catalog (nested with portal.approvals.nested-groups). */
    @Bean
    @ConditionalOnMissingBean
    CatalogGroups portalCatalogGroups(EntityQueries entities, PortalApprovalsProperties properties) {
        return new CatalogGroups(entities, properties.isNestedGroups());
    }

    /** The approval inbox: user tasks of runs, who may decide them, decisions and their audit. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "portal.approvals", name = "enabled", matchIfMissing = true)
    static class ApprovalsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ApprovalStore portalApprovalStore(PortalWorkflowsDatabase database) {
            return new ApprovalStore(database.dsl());
        }

        @Bean
        @ConditionalOnMissingBean
        ApprovalPolicy portalApprovalPolicy(CatalogGroups groups, PortalScaffolderProperties scaffolder) {
            return new ApprovalPolicy(groups, scaffolder.getAdminGroups().stream()
                    .map(ref -> EntityRef.parse(ref, "group", EntityRef.DEFAULT_NAMESPACE)).collect(Collectors.toSet()));
        }

        @Bean
        @ConditionalOnMissingBean
        ZeebeApprovals portalZeebeApprovals(CamundaClient client, PortalApprovalsProperties properties,
                                            PortalScaffolderProperties scaffolder,
                                            ObjectProvider<EmbeddedZeebeEngine> embedded) {
            startEmbeddedEngineFirst(embedded);
            return new ZeebeApprovals(client, properties.getJobTimeout(), properties.getActivationTimeout(),
                    properties.isFourEyes(), scaffolder.getWorker().getName(), scaffolder.getWorker().isStreamEnabled());
        }

        @Bean
        @ConditionalOnMissingBean
        ApprovalInbox portalApprovalInbox(ApprovalStore store, RunStore runs, ApprovalPolicy policy,
                                          ZeebeApprovals engine, ObjectProvider<ApprovalListener> listeners,
                                          Scaffolder scaffolder, PortalApprovalsProperties properties,
                                          ProcessDeployer deployer) {
            // a decision sets only the fields of the form the task shows (forms this portal deployed)
            ApprovalInbox inbox = new ApprovalInbox(store, runs, policy, engine, listeners.orderedStream().toList(),
                    properties.isSeparateDeciders(),
                    FormFields.camundaForms(key -> deployer.form(key).map(ProcessDeployer.FormContent::json)));
            scaffolder.onCancel(inbox::runCancelled);
            return inbox;
        }

        @Bean
        @ConditionalOnMissingBean
        ApprovalLifecycle portalApprovalLifecycle(ZeebeApprovals approvals, ApprovalInbox inbox,
                                                  PortalApprovalsProperties properties) {
            return new ApprovalLifecycle(approvals, inbox, properties.getReconcileInterval());
        }
    }

    /** Beans that talk to the engine are created after the in-JVM engine (if any) is listening. */
    static void startEmbeddedEngineFirst(ObjectProvider<EmbeddedZeebeEngine> embedded) {
        embedded.getIfAvailable();
    }
}
