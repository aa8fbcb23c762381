package dev.portal.ui.catalog;

import dev.portal.ui.UiShell;

import java.util.List;

/**
 * Registering an existing {@code catalog-info.yaml}: the form, then a preview of what the file
 * holds (nothing stored yet), then what was registered.
 *
 * @param type {@code url} or {@code file}, as the form was filled in
 * @param target the URL or path, as the form was filled in
 * @param error why the file could not be read or may not be registered, or {@code null}
 * @param preview what the file holds, or {@code null} before a preview
 * @param result what registering stored, or {@code null} before registering
 */
public record RegisterPage(UiShell shell, String type, String target, String error, Preview preview, Result result) {

    /**
     * @param problems problems of the file as a whole (documents that are not entities)
     * @param registrable whether at least one entity is valid
     * @param alreadyRegistered whether the location is registered already (registering reads it again)
     */
    public record Preview(String location, List<PreviewEntity> entities, List<String> problems, boolean registrable,
                          boolean alreadyRegistered, int valid, int invalid) {
    }

    /**
     * @param ref the entity's ref, or where in the file it is when it has no usable ref
     * @param href its page when the catalog has it already, else {@code null}
     * @param problems what keeps it out of the catalog; empty when it is valid
     */
    public record PreviewEntity(String kind, String ref, String title, String href, List<String> problems) {

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /**
     * @param existed whether the location had been registered before (and was read again)
     * @param errors problems found while reading it and the locations it names
     */
    public record Result(String location, boolean existed, List<RefView> entities, List<String> errors) {
    }
}
