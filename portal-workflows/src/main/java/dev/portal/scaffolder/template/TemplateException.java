package dev.portal.scaffolder.template;

import dev.portal.error.InvalidInputException;

/** A template that cannot be used as written: the message names the template and the field. */
public class TemplateException extends InvalidInputException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
