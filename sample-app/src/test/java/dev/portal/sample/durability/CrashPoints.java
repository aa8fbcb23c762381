package dev.portal.sample.durability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Instants of a create-service run where a test can stop a host deterministically, made of
 * PostgreSQL triggers the test creates in the host's database (the product has no test hook): a
 * BEFORE trigger on the statement that marks the instant waits for an advisory lock the test holds
 * while the point is armed. The host's thread is then stuck inside that statement's transaction;
 * the test kills the host (SIGKILL) and ends the orphaned database session, so the statement rolls
 * back exactly as if the host had died a moment before it.
 *
 * <p>The triggers name tables and columns of the workflows schema (V1, V2); a migration that
 * renames them must update {@link Point#trigger}.
 */
final class CrashPoints implements AutoCloseable {

    /** The advisory lock class of the suite's locks (the object is the point's ordinal + 1). */
    private static final int LOCK_CLASS = 4242;

    /** Where a host can be held. Each names the statement its trigger waits in. */
    enum Point {
        /** Scaffolder.start recording the run: nothing is stored, no instance exists yet. */
        RUN_RECORDED("before insert on portal.scaffolder_runs for each row"),
        /** The engine created the process instance; Portal has not stored its key yet. */
        INSTANCE_CREATED("before update on portal.scaffolder_runs for each row"
                + " when (old.process_instance_key is null and new.process_instance_key is not null)"),
        /** The approval's user-task job reached the host; the inbox has not recorded it yet. */
        APPROVAL_RECEIVED("before insert on portal.approval_tasks for each row"),
        /** A decision is stored; Zeebe has completed the job, Portal has not noted that yet. */
        DECISION_APPLIED("before update on portal.approval_decisions for each row"
                + " when (old.applied_at is null and new.applied_at is not null)"),
        /** The render step (portal.fetch-template) is running: its first log line. */
        RENDERING("before insert on portal.scaffolder_events for each row"
                + " when (new.step_id = 'render' and new.type = 'log')"),
        /** The publish step is about to push (its "Pushing N files" line). */
        PUSHING("before insert on portal.scaffolder_events for each row"
                + " when (new.step_id = 'publish' and new.type = 'log' and new.message like 'Pushing %')"),
        /** The push is done; the step's completion is not recorded yet. */
        PUSHED_UNRECORDED("before update on portal.scaffolder_steps for each row"
                + " when (new.step_id = 'publish' and new.status = 'completed' and old.status <> 'completed')"),
        /** The register step is starting: nothing is registered yet. */
        REGISTERING("before insert on portal.scaffolder_steps for each row when (new.step_id = 'register')"),
        /** The component is registered in the catalog; the step's completion is not recorded yet. */
        REGISTERED_UNRECORDED("before update on portal.scaffolder_steps for each row"
                + " when (new.step_id = 'register' and new.status = 'completed' and old.status <> 'completed')");

        private final String trigger;

        Point(String trigger) {
            this.trigger = trigger;
        }

        String id() {
            return name().toLowerCase().replace('_', '-');
        }

        int lock() {
            return ordinal() + 1;
        }
    }

    private final Connection control;
    private final Set<Point> armed = EnumSet.noneOf(Point.class);

    CrashPoints(String jdbcUrl) {
        try {
            control = DriverManager.getConnection(jdbcUrl, "postgres", "");
            control.setAutoCommit(true);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** Creates the triggers (after a host migrated the schema). */
    void install() {
        execute("""
                create table if not exists portal.durability_armed (point text primary key, lock_id int not null)""");
        execute("""
                create or replace function portal.durability_pause() returns trigger language plpgsql as $$
                declare
                    id int;
                begin
                    select lock_id into id from portal.durability_armed where point = tg_argv[0];
                    if found then
                        perform pg_advisory_xact_lock(%d, id);
                    end if;
                    return new;
                end $$""".formatted(LOCK_CLASS));
        for (Point point : Point.values()) {
            String name = "durability_" + point.name().toLowerCase();
            String table = point.trigger.replaceAll(".* on (portal\\.[a-z_]+) .*", "$1");
            execute("drop trigger if exists " + name + " on " + table);
            execute("create trigger " + name + " " + point.trigger
                    + " execute function portal.durability_pause('" + point.id() + "')");
        }
    }

    /** From now on, the first statement that reaches the point waits until {@link #release}. */
    void arm(Point point) {
        execute("select pg_advisory_lock(" + LOCK_CLASS + ", " + point.lock() + ")");
        execute("insert into portal.durability_armed (point, lock_id) values ('" + point.id() + "', " + point.lock()
                + ") on conflict do nothing");
        armed.add(point);
    }

    /** Waits until some host's session waits at the point; the name of that host. */
    String awaitReached(Point point, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> hosts = waiting(point);
            if (!hosts.isEmpty()) {
                return hosts.getFirst();
            }
            ChildJvm.sleep(20);
        }
        throw new AssertionError("no host reached crash point " + point.id() + " within " + timeout);
    }

    /** Whether a session waits at the point. */
    Optional<String> reached(Point point) {
        List<String> hosts = waiting(point);
        return hosts.isEmpty() ? Optional.empty() : Optional.of(hosts.getFirst());
    }

    private List<String> waiting(Point point) {
        List<String> hosts = new ArrayList<>();
        try (Statement statement = control.createStatement();
             ResultSet rows = statement.executeQuery("""
                     select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
                     where l.locktype = 'advisory' and l.classid = %d and l.objid = %d and not l.granted
                     """.formatted(LOCK_CLASS, point.lock()))) {
            while (rows.next()) {
                hosts.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return hosts;
    }

    /**
     * Ends the sessions still waiting at the point (their host is dead: the statement and its
     * transaction roll back, as the host's crash would have made them), disarms it and lets go.
     */
    void release(Point point) {
        execute("delete from portal.durability_armed where point = '" + point.id() + "'");
        execute("""
                select pg_terminate_backend(l.pid) from pg_locks l
                where l.locktype = 'advisory' and l.classid = %d and l.objid = %d and not l.granted
                """.formatted(LOCK_CLASS, point.lock()));
        execute("select pg_advisory_unlock(" + LOCK_CLASS + ", " + point.lock() + ")");
        armed.remove(point);
    }

    /** Ends every session of a host (after it was killed, its idle sessions end by themselves). */
    void endSessionsOf(String host) {
        execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = '" + host + "'");
    }

    void releaseAll() {
        for (Point point : List.copyOf(armed)) {
            release(point);
        }
    }

    private void execute(String sql) {
        try (Statement statement = control.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    long count(String sql) {
        try (Statement statement = control.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            releaseAll();
        } finally {
            try {
                control.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
