package dev.portal.scaffolder.template;

/** A template that cannot be used as written: the message names the template and the field. */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
