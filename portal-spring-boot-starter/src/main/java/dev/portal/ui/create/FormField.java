package dev.portal.ui.create;

import java.util.List;

/**
 * One field of a template's parameter form, as the wizard's template draws it: made by
 * {@link SchemaForm} from the JSON Schema, with the value the person entered and the server's
 * problems with it.
 *
 * @param widget how it is drawn: {@code input} (with {@link #inputType}), {@code textarea},
 *     {@code checkbox}, {@code select}, {@code radios}, {@code checkboxes}, {@code rows}
 *     (repeatable text inputs), {@code object} (a fieldset of {@link #children}), {@code hidden},
 *     {@code json} (a textarea holding JSON, for what the form cannot draw) or {@code fixed}
 *     (a {@code const} value, shown, not editable)
 * @param name the form parameter, e.g. {@code v.owner}, {@code v.address.street}
 * @param path the value's place in the values, dotted ({@code owner}, {@code address.street})
 * @param inputType for {@code input}: {@code text}, {@code email}, {@code url}, {@code date},
 *     {@code number}, {@code password}
 * @param value a single value as entered (or the default); empty when there is none
 * @param values the values of a multi-valued field (checkboxes, rows)
 * @param options the choices of select, radios, checkboxes and entity pickers
 * @param datalist whether the options only suggest ({@code <datalist>}) and any value may be typed
 * @param errors the server's problems with this field, shown next to it
 * @param unsupported schema keywords and hints this form does not draw, said on the page
 */
public record FormField(String widget, String name, String path, String id, String label, String description,
                        String help, String placeholder, boolean required, boolean autofocus, boolean readOnly,
                        String inputType, String pattern, Integer minLength, Integer maxLength, String min, String max,
                        String step, String value, List<String> values, List<Option> options, boolean datalist,
                        List<String> errors, List<String> unsupported, List<FormField> children) {

    public FormField {
        values = List.copyOf(values);
        options = List.copyOf(options);
        errors = List.copyOf(errors);
        unsupported = List.copyOf(unsupported);
        children = List.copyOf(children);
    }

    /** A choice; {@code selected} when it is (one of) the field's value(s). */
    public record Option(String value, String label, boolean selected) {
    }

    public boolean hasErrors() {
        return !errors.isEmpty() || children.stream().anyMatch(FormField::hasErrors);
    }

    /** The id of the element that describes the field (help, description, errors), for aria-describedby. */
    public String describedBy() {
        return id + "-about";
    }

    /** The rows of a repeatable field, with one empty row to type into when there are none. */
    public List<String> rows() {
        return values.isEmpty() ? List.of("") : values;
    }
}
