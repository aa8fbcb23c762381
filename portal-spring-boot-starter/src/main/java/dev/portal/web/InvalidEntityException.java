package dev.portal.web;

import dev.portal.catalog.model.Problem;
import dev.portal.error.InvalidInputException;

import java.util.List;

/**
 * {@code POST /validate-entity} found problems: answered 400 with {@code {"errors":[...]}}, one
 * {@code InputError} per problem, instead of the usual error body (what Backstage's client expects).
 */
class InvalidEntityException extends InvalidInputException {

    private final List<Problem> problems;

    InvalidEntityException(List<Problem> problems) {
        super(problems.size() + " problem(s), first: " + problems.getFirst().describe());
        this.problems = List.copyOf(problems);
    }

    List<Problem> problems() {
        return problems;
    }
}
