package dev.portal.scaffolder.zeebe;

import io.camunda.client.api.command.ClientHttpException;
import io.camunda.client.api.command.ClientStatusException;
import io.grpc.Status;

/**
 * What a failed engine command means, whichever protocol carried it: the client sends commands
 * over gRPC or over REST ({@code camunda.client.prefer-rest-over-grpc}), and each reports "no such
 * job / instance" and "bad request" its own way.
 */
public final class EngineErrors {

    private EngineErrors() {
    }

    /** The engine has no such job, instance or incident (any more). */
    public static boolean isNotFound(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClientStatusException status && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return true;
            }
            if (cause instanceof ClientHttpException http && http.code() == 404) {
                return true;
            }
        }
        return false;
    }

    /**
     * What went wrong, in words fit for a caller and a run's log: the gRPC status or HTTP code and
     * nothing else (the exception's own message names hosts, ports and the client's internals,
     * which stay in the portal's log).
     */
    public static String summary(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClientStatusException status) {
                return "engine status " + status.getStatus().getCode();
            }
            if (cause instanceof ClientHttpException http) {
                return "engine answered HTTP " + http.code();
            }
        }
        return "no answer (" + failure.getClass().getSimpleName() + ")";
    }

    /** The engine refused the command as invalid (e.g. a BPMN file it cannot deploy). */
    public static boolean isInvalid(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClientStatusException status && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return true;
            }
            if (cause instanceof ClientHttpException http && http.code() == 400) {
                return true;
            }
        }
        return false;
    }
}
