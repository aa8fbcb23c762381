package dev.portal.ui.create;

import dev.portal.ui.UiShell;

import java.util.List;

/**
 * One step of a template's wizard: a parameter page as a form, or the review (every value, a
 * preview of the files, the start button).
 *
 * @param action where the form posts (the wizard's own URL)
 * @param steps the step bar: each parameter page, then the review
 * @param step the index of this step; {@code steps.size() - 1} is the review
 * @param fields this page's fields (empty on the review)
 * @param problems problems of the values as a whole, or of fields this page does not show
 * @param valuesJson every value entered so far, carried along in a hidden field
 * @param conditional whether a choice on this page can change its fields (they re-render on change)
 * @param review every value by page, on the review step
 * @param preview the dry run's files, after "Preview files"
 * @param error why the preview or start did not work, or {@code null}
 */
public record WizardPage(UiShell shell, String templateTitle, String templateDescription, String templateRef,
                         String templateHref, String galleryHref, String action, List<Step> steps, int step,
                         List<FormField> fields, List<String> problems, String valuesJson, boolean conditional,
                         List<ReviewSection> review, Preview preview, String error) {

    public boolean isReview() {
        return step == steps.size() - 1;
    }

    public boolean isFirst() {
        return step == 0;
    }

    public Step current() {
        return steps.get(step);
    }

    /** A step in the step bar; {@code state} is {@code done}, {@code current} or {@code todo}. */
    public record Step(int index, String title, String description, String state) {
    }

    /** The values of one parameter page as the review lists them. */
    public record ReviewSection(int step, String title, List<ReviewValue> values) {
    }

    /** @param multiline whether the value spans lines (shown in a block) */
    public record ReviewValue(String label, String value, boolean multiline) {
    }

    /** A dry run's result: its files as a tree, each with its content; and its log. */
    public record Preview(List<PreviewFile> files, List<String> log) {
    }

    /**
     * @param depth how deep in the tree (for the indentation)
     * @param folder whether this line is a folder (no content)
     * @param content the text, or {@code null} for a binary file
     */
    public record PreviewFile(String path, String name, int depth, boolean folder, long size, String content, String id) {
    }
}
