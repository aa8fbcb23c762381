package dev.portal.scaffolder.zeebe;

import java.time.Duration;
import java.util.Map;

/**
 * How the portal's job workers talk to Zeebe.
 *
 * @param name          the worker name Zeebe records on activated jobs
 * @param timeout       how long a job stays with a worker before Zeebe hands it to another one,
 *                      unless {@code timeouts} names the action; while the action runs, the worker
 *                      extends it (a heartbeat every third of it), so it bounds how long a step
 *                      held by a dead host waits for another instance, not how long an action may
 *                      take
 * @param maxJobsActive jobs a worker holds at once, per action (never more than {@code threads})
 * @param pollInterval  how often a worker polls when job streaming delivers nothing
 * @param retryBackoff  wait before a failed job with retries left is offered again
 * @param streamEnabled whether jobs are pushed to workers as soon as they are created (lower
 *                      latency) in addition to polling; off in {@link #defaults()}, as closing a
 *                      streaming worker of camunda-client-java 8.8.14 while the gateway is
 *                      unreachable can block for ever
 * @param threads       actions that run at once on this instance, on threads of their own: the
 *                      Camunda client's job-handler thread only hands jobs over, so a slow action
 *                      never delays another run's jobs or approvals; a job that arrives while
 *                      every thread is busy is handed back at once (retries untouched) for an
 *                      instance with a free thread, instead of waiting here
 * @param timeouts      job timeouts of single actions (by action id), for one whose heartbeat
 *                      may be held up longer than {@code timeout}
 * @param maxActionTime how long one attempt of an action may run before the worker gives it up:
 *                      it stops the heartbeat, interrupts the action, and fails the attempt as an
 *                      action that threw would (a retry, or an incident when none is left); what
 *                      the action does after that is not recorded as the step's result. Without it
 *                      an action that hangs held its job, and one of {@code threads}, for ever
 * @param maxActionTimes the same for single actions (by action id), instead of {@code maxActionTime}
 */
public record WorkerSettings(String name, Duration timeout, int maxJobsActive, Duration pollInterval,
                             Duration retryBackoff, boolean streamEnabled, int threads,
                             Map<String, Duration> timeouts, Duration maxActionTime,
                             Map<String, Duration> maxActionTimes) {

    /** Actions running at once when nothing else is said: they mostly wait on git hosts and the database. */
    public static final int DEFAULT_THREADS = 8;

    /**
     * Job timeout when nothing else is said: a step held by a host that died is taken over after at
     * most this long; a live host's heartbeat (every 10 s) keeps it however long the action takes.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long an attempt of an action may run when nothing else is said: far more than the
     * built-in actions need (a publish to a slow git host takes seconds), short enough that a
     * hung one fails visibly the same day.
     */
    public static final Duration DEFAULT_MAX_ACTION_TIME = Duration.ofMinutes(30);

    public WorkerSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        requirePositive("maxActionTime", maxActionTime);
        maxActionTimes.forEach((action, time) -> requirePositive("maxActionTimes[" + action + "]", time));
        timeouts = Map.copyOf(timeouts);
        maxActionTimes = Map.copyOf(maxActionTimes);
    }

    public WorkerSettings(String name, Duration timeout, int maxJobsActive, Duration pollInterval,
                          Duration retryBackoff, boolean streamEnabled, int threads, Map<String, Duration> timeouts) {
        this(name, timeout, maxJobsActive, pollInterval, retryBackoff, streamEnabled, threads, timeouts,
                DEFAULT_MAX_ACTION_TIME, Map.of());
    }

    public WorkerSettings(String name, Duration timeout, int maxJobsActive, Duration pollInterval,
                          Duration retryBackoff, boolean streamEnabled) {
        this(name, timeout, maxJobsActive, pollInterval, retryBackoff, streamEnabled, DEFAULT_THREADS, Map.of());
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
    }

    public static WorkerSettings defaults() {
        return new WorkerSettings("portal", DEFAULT_TIMEOUT, 32, Duration.ofMillis(100),
                Duration.ofSeconds(5), false, DEFAULT_THREADS, Map.of(), DEFAULT_MAX_ACTION_TIME, Map.of());
    }

    /** The job timeout of {@code actionId}'s jobs. */
    public Duration timeoutOf(String actionId) {
        return timeouts.getOrDefault(actionId, timeout);
    }

    /** How long one attempt of {@code actionId} may run before the worker gives it up. */
    public Duration maxActionTimeOf(String actionId) {
        return maxActionTimes.getOrDefault(actionId, maxActionTime);
    }

    /** How often a running action's job timeout is extended: a third of it, so one lost heartbeat costs nothing. */
    public Duration heartbeatOf(String actionId) {
        return timeoutOf(actionId).dividedBy(3);
    }
}
