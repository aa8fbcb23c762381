package dev.portal.scaffolder.render;

/**
 * A template could not be rendered: a syntax error, an undefined reference, something the sandbox
 * refuses, or a limit crossed. The message names the template and, where known, line and column.
 */
public class TemplateRenderException extends RuntimeException {

    public TemplateRenderException(String message) {
        super(message);
    }

    public TemplateRenderException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Velocity's way of writing a place in a template, so our messages read like its own. */
    static String at(String template, int line, int column) {
        return template + "[line " + line + ", column " + column + "]";
    }
}
