package dev.portal.scaffolder.zeebe;

import java.time.Duration;

/**
 * How the portal's job workers talk to Zeebe.
 *
 * @param name          the worker name Zeebe records on activated jobs
 * @param timeout       how long a job stays with a worker before Zeebe hands it to another one;
 *                      longer than the slowest action (a push of a large repository)
 * @param maxJobsActive jobs a worker holds at once, per action
 * @param pollInterval  how often a worker polls when job streaming delivers nothing
 * @param retryBackoff  wait before a failed job with retries left is offered again
 * @param streamEnabled whether jobs are pushed to workers as soon as they are created (lower
 *                      latency) in addition to polling; off in {@link #defaults()}, as closing a
 *                      streaming worker of camunda-client-java 8.8.14 while the gateway is
 *                      unreachable can block for ever
 */
public record WorkerSettings(String name, Duration timeout, int maxJobsActive, Duration pollInterval,
                             Duration retryBackoff, boolean streamEnabled) {

    public static WorkerSettings defaults() {
        return new WorkerSettings("portal", Duration.ofMinutes(5), 32, Duration.ofMillis(100),
                Duration.ofSeconds(5), false);
    }
}
