package dev.portal.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * Renders the UI's templates ({@code src/main/jte}, precompiled at build time into the package
 * {@code dev.portal.ui.templates}) to a String. Portal's controllers use it directly: no view
 * resolver is registered, so the host application's own views are untouched.
 */
public final class UiTemplates {

    /** Where the build puts the precompiled templates: a package of Portal's own, never a host's. */
    static final String PACKAGE = "dev.portal.ui.templates";

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
            UiTemplates.class.getClassLoader(), PACKAGE);

    /**
     * @param template the template's path below {@code src/main/jte}, e.g. {@code catalog/list.jte}
     * @param page the template's one parameter, a view record
     */
    public String render(String template, Object page) {
        StringOutput output = new StringOutput(16 * 1024);
        engine.render(template, page, output);
        return output.toString();
    }
}
