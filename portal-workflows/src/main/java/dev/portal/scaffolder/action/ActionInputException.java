package dev.portal.scaffolder.action;

import dev.portal.error.InvalidInputException;

/**
 * The action's input can never work as given (schema violation, a path escaping the workspace, a
 * hostile template). Not retried: the step fails at once with this message, so the process owner
 * sees what to fix in the template or the values.
 */
public class ActionInputException extends InvalidInputException {

    public ActionInputException(String message) {
        super(message);
    }

    public ActionInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
