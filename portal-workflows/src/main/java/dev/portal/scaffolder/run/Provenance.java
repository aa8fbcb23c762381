package dev.portal.scaffolder.run;

/**
 * The annotations a run stamps on every entity it creates, so that the catalog can always answer
 * which run made an entity, from which template and version. The run API looks runs up by them.
 */
public final class Provenance {

    /** The id of the run that created the entity. */
    public static final String RUN_ID = "portal.dev/scaffolder-run-id";

    /** The entity ref of the template the run was started from. */
    public static final String TEMPLATE = "portal.dev/scaffolder-template";

    /** The template's version at the start of the run: {@code <entity etag>@<BPMN version>}. */
    public static final String TEMPLATE_VERSION = "portal.dev/scaffolder-template-version";

    private Provenance() {
    }
}
