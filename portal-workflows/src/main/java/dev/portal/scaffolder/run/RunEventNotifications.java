package dev.portal.scaffolder.run;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hears, through PostgreSQL {@code LISTEN}, of events that any instance sharing the database wrote
 * ({@link RunStore} sends {@code NOTIFY} on {@value #CHANNEL} with the run id, delivered when the
 * event's transaction commits): a decision taken on instance A wakes a stream open on instance B at
 * once. One connection of its own, opened by {@code connect} and never taken from the pool's
 * working set; it reconnects with a growing pause when the connection breaks, and after each
 * reconnect tells its subscribers to look at everything, since notifications sent meanwhile are
 * lost. Those who rely on it still poll now and then as a safety net.
 */
public final class RunEventNotifications implements AutoCloseable {

    /** The channel {@link RunStore} notifies on, with the run id as the payload. */
    public static final String CHANNEL = "portal_run_events";

    private static final Logger LOG = LoggerFactory.getLogger(RunEventNotifications.class);
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    private final Callable<Connection> connect;
    private final List<Consumer<UUID>> runListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile Connection connection;
    private volatile boolean listening;
    private Thread thread;

    /** @param connect opens the listener's own connection (autocommit; closed when it breaks or on close) */
    public RunEventNotifications(Callable<Connection> connect) {
        this.connect = connect;
    }

    /** {@code listener} is called with the id of each run an instance wrote events of. */
    public void onRun(Consumer<UUID> listener) {
        runListeners.add(listener);
    }

    /** {@code listener} is called after each (re)connect: notifications may have been missed. */
    public void onReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    /** Starts listening on a thread of its own. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::listen, "portal-run-event-notifications");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the listener connection is up and listening now. */
    public boolean isListening() {
        return listening;
    }

    private void listen() {
        Duration pause = Duration.ofMillis(250);
        boolean warned = false;
        while (running) {
            try (Connection opened = connect.call()) {
                connection = opened;
                opened.setAutoCommit(true);
                try (Statement statement = opened.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = opened.unwrap(PGConnection.class);
                listening = true;
                if (warned) {
                    LOG.info("listening for run events again");
                    warned = false;
                }
                pause = Duration.ofMillis(250);
                reconnectListeners.forEach(RunEventNotifications::runQuietly);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications((int) WAIT.toMillis());
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            received(notification.getParameter());
                        }
                    }
                }
            } catch (Exception e) {
                listening = false;
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warn("not listening for run events of other instances (streams fall back to polling), "
                            + "retrying: {}", e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void received(String payload) {
        UUID runId;
        try {
            runId = UUID.fromString(payload);
        } catch (IllegalArgumentException e) {
            LOG.debug("ignoring notification '{}' on {}", payload, CHANNEL);
            return;
        }
        for (Consumer<UUID> listener : runListeners) {
            runQuietly(() -> listener.accept(runId));
        }
    }

    private static void runQuietly(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("run event listener failed", e);
        }
    }

    @Override
    public void close() {
        Thread listener;
        synchronized (this) {
            running = false;
            listener = thread;
            thread = null;
        }
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debug("closing the listener connection: {}", e.getMessage());
            }
        }
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
