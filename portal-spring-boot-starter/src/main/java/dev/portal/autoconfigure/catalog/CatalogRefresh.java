package dev.portal.autoconfigure.catalog;

import dev.portal.catalog.orchestration.RefreshLoop;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the catalog's locations fresh in the background while the application runs: the refresh
 * loop starts once the context is up and stops (waiting for the location in progress) on shutdown.
 */
public class CatalogRefresh implements SmartLifecycle {

    private final RefreshLoop loop;
    private boolean running;

    public CatalogRefresh(RefreshLoop loop) {
        this.loop = loop;
    }

    @Override
    public synchronized void start() {
        loop.start();
        running = true;
    }

    @Override
    public synchronized void stop() {
        loop.close();
        running = false;
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }
}
