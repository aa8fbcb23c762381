package dev.portal.scaffolder.template;

import dev.portal.error.InvalidInputException;

import java.util.List;

/** Submitted values break the template's parameter schema; {@link #problems()} names each field. */
public class InvalidParametersException extends InvalidInputException {

    private final List<String> problems;

    public InvalidParametersException(String templateRef, List<String> problems) {
        super("values for " + templateRef + " are invalid: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
