package dev.portal.scaffolder.render;

import dev.portal.scaffolder.action.RunInfo;

/**
 * The run, as templates see it: {@code $run.id}, {@code $run.templateRef}, ...
 *
 * @param id              the run id
 * @param templateRef     the template's entity ref, e.g. {@code template:default/spring-service}
 * @param templateTitle   the template's title
 * @param templateVersion the template's version at start, {@code etag@bpmnVersion}
 * @param requester       the entity ref of the user who started the run
 */
public record RunData(String id, String templateRef, String templateTitle, String templateVersion,
                      String requester) implements TemplateData {

    /** What templates may know of a run. */
    public static RunData of(RunInfo run) {
        return new RunData(run.id().toString(), run.template().ref().toString(), run.template().title(),
                nullToEmpty(run.templateVersion()), nullToEmpty(run.requester()));
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
