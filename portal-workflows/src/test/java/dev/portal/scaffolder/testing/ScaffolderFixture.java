package dev.portal.scaffolder.testing;

import dev.portal.catalog.Catalog;
import dev.portal.catalog.CatalogSettings;
import dev.portal.catalog.ingest.ClasspathLocationReader;
import dev.portal.catalog.ingest.LocationReader;
import dev.portal.catalog.model.Location;
import dev.portal.catalog.testing.CatalogTestSupport;
import dev.portal.catalog.testing.PostgresDatabase;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.TemplateChecks;
import dev.portal.scaffolder.run.ProcessStore;
import dev.portal.scaffolder.action.ActionRegistry;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.scaffolder.run.RunStore;
import dev.portal.scaffolder.run.StepRunner;
import dev.portal.scaffolder.run.WorkflowsSchema;
import dev.portal.scaffolder.run.Workspaces;
import dev.portal.scaffolder.template.TemplateResources;
import dev.portal.scaffolder.zeebe.ProcessDeployer;
import dev.portal.scaffolder.zeebe.WorkerSettings;
import dev.portal.scaffolder.zeebe.ZeebeActionWorkers;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Scaffolder wired as a host would wire it, on a throw-away PostgreSQL database and the in-JVM
 * engine: catalog, run store, actions, workers, deployer.
 */
public final class ScaffolderFixture implements AutoCloseable {

    public final PostgresDatabase database;
    public TestEngine engine;
    public final Catalog catalog;
    public final RunStore runs;
    public final ProcessStore processes;
    public final ActionRegistry actions;
    public final Workspaces workspaces;
    public ProcessDeployer deployer;
    public Scaffolder scaffolder;
    private final List<LocationReader> readers;
    private final WorkerSettings settings;
    private ZeebeActionWorkers workers;

    public ScaffolderFixture(Path workspaceRoot, List<? extends ScaffolderAction<?, ?>> actionList) {
        this(workspaceRoot, catalog -> actionList);
    }

    /** With actions that need the fixture's catalog (catalog registration). */
    public ScaffolderFixture(Path workspaceRoot, Function<Catalog, List<? extends ScaffolderAction<?, ?>>> actionList) {
        this(workspaceRoot, actionList, settings());
    }

    /** The test's worker settings: short intervals, streaming on. */
    public static WorkerSettings settings() {
        return new WorkerSettings("test", Duration.ofMinutes(1), 8, Duration.ofMillis(50), Duration.ofMillis(100), true);
    }

    /** With workers set up as {@code settings} say. */
    public ScaffolderFixture(Path workspaceRoot, Function<Catalog, List<? extends ScaffolderAction<?, ?>>> actionList,
                             WorkerSettings settings) {
        this.settings = settings;
        database = PostgresDatabase.create();
        WorkflowsSchema.migrate(database.dataSource(), database.schema());
        // file, git and class path locations (the standard templates are read from the class path)
        readers = new ArrayList<>(Catalog.defaultReaders(CatalogSettings.defaults()));
        readers.add(new ClasspathLocationReader(getClass().getClassLoader(), CatalogSettings.defaults().parserLimits().maxBytes()));
        // templates are checked as the catalog stores them, as the starter wires it
        catalog = new Catalog(database.dsl(), CatalogSettings.defaults(), readers, new TemplateChecks(() -> scaffolder));
        runs = new RunStore(database.dsl());
        processes = new ProcessStore(database.dsl());
        actions = new ActionRegistry(actionList.apply(catalog));
        workspaces = new Workspaces(workspaceRoot);
        startEngine();
    }

    private void startEngine() {
        startEngine(true);
    }

    private void startEngine(boolean openWorkers) {
        engine = new TestEngine();
        deployer = new ProcessDeployer(engine.client(), actions, Set.of(), processes);
        StepRunner runner = new StepRunner(actions, runs, workspaces);
        workers = new ZeebeActionWorkers(engine.client(), runner, runs, workspaces, settings);
        if (openWorkers) {
            workers.open();
        }
        scaffolder = new Scaffolder(catalog.entities(), runs, processes, actions, deployer,
                new TemplateResources(readers, getClass().getClassLoader()),
                engine.client(), engine.incidents(), workspaces);
    }

    /**
     * Replaces the in-JVM engine with a new, empty one (as a restart of an embedded engine without
     * persistence does) and wires workers, deployer and Scaffolder to it; the database stays.
     */
    public void restartEngine() {
        restartEngine(true);
    }

    /**
     * As {@link #restartEngine()}; with {@code openWorkers} false the job workers stay closed until
     * {@code workers().open()}, so that no worker's polling takes keys from the new engine: it then
     * hands out exactly the keys the previous one did for the same commands.
     */
    public void restartEngine(boolean openWorkers) {
        workers.close();
        engine.close();
        startEngine(openWorkers);
    }

    /**
     * Registers, as a configured location, a template {@code name} owned by {@code group:default/platform}
     * that runs {@code bpmn} as process {@code name}: both files written into {@code root/name}.
     */
    public void template(Path root, String name, BpmnModelInstance bpmn) throws IOException {
        template(root, name, name, bpmn, "");
    }

    /** As {@link #template(Path, String, BpmnModelInstance)}, with the process id and the Backstage {@code parameters} YAML given. */
    public void template(Path root, String name, String processId, BpmnModelInstance bpmn, String parameters)
            throws IOException {
        Path folder = Files.createDirectories(root.resolve(name));
        Files.writeString(folder.resolve(name + ".bpmn"), Bpmn.convertToString(bpmn));
        catalog.register(CatalogTestSupport.fileLocation(CatalogTestSupport.write(folder.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata: {name: %s}
                spec:
                  type: service
                  owner: group:default/platform
                  workflow: {processId: %s, resource: %s.bpmn}
                %s
                """.formatted(name, processId, name, parameters.indent(2)))), Location.Origin.CONFIG);
    }

    /** The job workers of this "host" (closed and opened again to play a host that goes and comes). */
    public ZeebeActionWorkers workers() {
        return workers;
    }

    /** Waits (up to 20 s) until the run satisfies {@code condition}; returns it. */
    public Run await(UUID runId, Predicate<Run> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Run run = runs.find(runId).orElseThrow();
        while (!condition.test(run) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            run = runs.find(runId).orElseThrow();
        }
        assertThat(run).matches(condition, "run reaches the expected state; events: " + runs.events(runId, 0, 1000));
        return run;
    }

    public Run awaitStatus(UUID runId, RunStatus status) {
        return await(runId, run -> run.status() == status);
    }

    @Override
    public void close() {
        workers.close();
        engine.close();
        database.close();
    }
}
