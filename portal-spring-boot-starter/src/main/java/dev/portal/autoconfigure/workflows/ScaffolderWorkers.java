package dev.portal.autoconfigure.workflows;

import dev.portal.scaffolder.zeebe.ZeebeActionWorkers;
import org.springframework.context.SmartLifecycle;

/** Opens the job workers once the application context is up, and closes them first on shutdown. */
public final class ScaffolderWorkers implements SmartLifecycle {

    private final ZeebeActionWorkers workers;
    private volatile boolean running;

    public ScaffolderWorkers(ZeebeActionWorkers workers) {
        this.workers = workers;
    }

    @Override
    public void start() {
        workers.open();
        running = true;
    }

    @Override
    public void stop() {
        workers.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
