package dev.portal.ui.create;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.secret.SecretParameters;
import dev.portal.scaffolder.template.JsonSchemas;
import dev.portal.scaffolder.template.TemplateException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place where a template's JSON Schema parameter page becomes form fields, and where what a
 * browser submits becomes the values again. Both follow the same layout: the page's properties plus
 * those its conditions ({@code dependencies}, {@code dependentSchemas}, {@code if}/{@code then}/
 * {@code else}) switch on for the values at hand, so a changed choice re-renders with its fields.
 * Keywords it cannot draw are named on the field ({@link FormField#unsupported()}); such a field falls
 * back to a JSON text area. Validation is not done here but by the Scaffolder's parameter
 * validator; only the Backstage pickers' own rules ({@link #pickerProblems}) are checked here, as
 * Backstage's form does.
 */
public final class SchemaForm {

    /** The form parameter prefix of values: {@code v.<path>}. */
    public static final String PREFIX = "v.";
    /** A hidden parameter naming each field the page drew, so an unchecked box still counts as {@code false}. */
    public static final String FIELD_MARKER = "_field";

    /** Backstage's rule for entity names (EntityNamePicker). */
    static final Pattern ENTITY_NAME = Pattern.compile("^([A-Za-z0-9][-_.]?)*[A-Za-z0-9]$");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keywords the form draws or that only the server's validation needs. */
    private static final Set<String> KNOWN = Set.of("type", "title", "description", "default", "enum", "enumNames",
            "const", "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
            "exclusiveMaximum", "multipleOf", "items", "minItems", "maxItems", "uniqueItems", "properties", "required",
            "dependencies", "dependentRequired", "dependentSchemas", "if", "then", "else", "readOnly", "examples",
            "additionalProperties", "minProperties", "maxProperties", "not", "$comment", "ui:widget", "ui:help",
            "ui:placeholder", "ui:autofocus", "ui:field", "ui:options", "ui:title", "ui:description",
            "ui:backstage");
    private static final Set<String> WIDGETS = Set.of("textarea", "password", "hidden", "radio", "select", "text",
            "checkboxes", "checkbox", "email", "uri", "date");
    private static final Set<String> PICKERS = Set.of("EntityPicker", "OwnerPicker", "MyGroupsPicker", "EntityNamePicker");
    private static final Set<String> FORMATS = Set.of("email", "uri", "url", "date");

    private SchemaForm() {
    }

    /** What the pickers look up in the catalog: the caller's view of it. */
    public interface Catalog {

        /**
         * Entities for an EntityPicker or OwnerPicker: their refs as values.
         *
         * @param options the field's {@code ui:options} ({@code catalogFilter}, {@code allowedKinds},
         *     {@code defaultKind}, {@code defaultNamespace})
         * @param defaultFilter the picker's own filter when the options give none (an OwnerPicker's groups and users)
         */
        List<FormField.Option> entities(JsonNode options, JsonNode defaultFilter);

        /** The caller's groups, for a MyGroupsPicker. */
        List<FormField.Option> myGroups();
    }

    // --- layout

    /**
     * The properties of an object schema that apply to {@code value} (base properties first, then
     * those its conditions add), and which of them are required.
     */
    record Layout(Map<String, JsonNode> properties, Set<String> required) {
    }

    static Layout layout(JsonNode schema, JsonNode value) {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        add(schema, properties, required);
        JsonNode object = value != null && value.isObject() ? value : JsonNodeFactory.instance.objectNode();
        // conditions may add conditions: apply until nothing changes (bounded by the schema's size)
        for (int round = 0; round < 5; round++) {
            int before = properties.size() + required.size();
            for (JsonNode part : conditionalParts(schema, object)) {
                add(part, properties, required);
            }
            if (properties.size() + required.size() == before) {
                break;
            }
        }
        return new Layout(properties, required);
    }

    /** Every property name a page might ever show, whatever the values: which page a value belongs to. */
    public static Set<String> allProperties(JsonNode schema) {
        Set<String> names = new LinkedHashSet<>();
        collectNames(schema, names, 0);
        return names;
    }

    private static void collectNames(JsonNode schema, Set<String> names, int depth) {
        if (schema == null || !schema.isObject() || depth > 6) {
            return;
        }
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        schema.path("required").forEach(name -> names.add(name.asText()));
        JsonNode dependencies = schema.path("dependencies");
        dependencies.fieldNames().forEachRemaining(names::add);
        dependencies.forEach(dependency -> {
            if (dependency.isArray()) {
                dependency.forEach(name -> names.add(name.asText()));
            } else {
                collectNames(dependency, names, depth + 1);
                dependency.path("oneOf").forEach(branch -> collectNames(branch, names, depth + 1));
                dependency.path("anyOf").forEach(branch -> collectNames(branch, names, depth + 1));
            }
        });
        schema.path("dependentSchemas").forEach(dependency -> collectNames(dependency, names, depth + 1));
        collectNames(schema.get("then"), names, depth + 1);
        collectNames(schema.get("else"), names, depth + 1);
    }

    private static void add(JsonNode schema, Map<String, JsonNode> properties, Set<String> required) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.path("properties").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            // a branch often repeats the property it depends on (with a const): the base one stays drawn
            properties.putIfAbsent(field.getKey(), field.getValue());
        }
        schema.path("required").forEach(name -> required.add(name.asText()));
    }

    /** The subschemas whose conditions hold for {@code value}. */
    private static List<JsonNode> conditionalParts(JsonNode schema, JsonNode value) {
        List<JsonNode> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> dependencies = schema.path("dependencies").fields();
        while (dependencies.hasNext()) {
            Map.Entry<String, JsonNode> dependency = dependencies.next();
            if (!present(value, dependency.getKey())) {
                continue;
            }
            JsonNode then = dependency.getValue();
            if (then.isArray()) {
                ObjectNode requiredOnly = JsonNodeFactory.instance.objectNode();
                requiredOnly.set("required", then.deepCopy());
                parts.add(requiredOnly);
            } else if (then.has("oneOf") || then.has("anyOf")) {
                parts.add(then);
                // rjsf's dependency branches: the one whose own schema of the key matches the value
                for (JsonNode branch : then.has("oneOf") ? then.path("oneOf") : then.path("anyOf")) {
                    JsonNode keySchema = branch.path("properties").path(dependency.getKey());
                    if (keySchema.isObject() && matches(keySchema, value.get(dependency.getKey()))) {
                        parts.add(branch);
                        break;
                    }
                }
            } else {
                parts.add(then);
            }
        }
        Iterator<Map.Entry<String, JsonNode>> dependent = schema.path("dependentSchemas").fields();
        while (dependent.hasNext()) {
            Map.Entry<String, JsonNode> dependency = dependent.next();
            if (present(value, dependency.getKey())) {
                parts.add(dependency.getValue());
            }
        }
        Iterator<Map.Entry<String, JsonNode>> dependentRequired = schema.path("dependentRequired").fields();
        while (dependentRequired.hasNext()) {
            Map.Entry<String, JsonNode> dependency = dependentRequired.next();
            if (present(value, dependency.getKey())) {
                ObjectNode requiredOnly = JsonNodeFactory.instance.objectNode();
                requiredOnly.set("required", dependency.getValue().deepCopy());
                parts.add(requiredOnly);
            }
        }
        if (schema.has("if") && (schema.has("then") || schema.has("else"))) {
            JsonNode branch = matches(schema.get("if"), value) ? schema.get("then") : schema.get("else");
            if (branch != null) {
                parts.add(branch);
            }
        }
        return parts;
    }

    private static boolean present(JsonNode value, String name) {
        JsonNode field = value.get(name);
        return field != null && !field.isNull() && !(field.isTextual() && field.asText().isEmpty());
    }

    private static boolean matches(JsonNode schema, JsonNode value) {
        if (value == null) {
            return false;
        }
        try {
            return JsonSchemas.problems(JsonSchemas.compile(schema, "condition"), value, "value").isEmpty();
        } catch (TemplateException e) {
            return false;
        }
    }

    // --- fields

    /**
     * The fields of one page for {@code values}.
     *
     * @param errors the server's problems by dotted path ({@code name}, {@code address.street}); an
     *     array item's problems go to its array
     */
    public static List<FormField> fields(JsonNode page, JsonNode values, Map<String, List<String>> errors, Catalog catalog) {
        return objectFields(page, values, "", errors, catalog);
    }

    private static List<FormField> objectFields(JsonNode schema, JsonNode values, String path,
                                                Map<String, List<String>> errors, Catalog catalog) {
        Layout layout = layout(schema, values);
        List<FormField> fields = new ArrayList<>();
        layout.properties().forEach((name, property) -> fields.add(field(name, property, values == null ? null : values.get(name),
                path.isEmpty() ? name : path + "." + name, layout.required().contains(name), errors, catalog)));
        return fields;
    }

    private static FormField field(String name, JsonNode schema, JsonNode value, String path, boolean required,
                                   Map<String, List<String>> errors, Catalog catalog) {
        List<String> unsupported = new ArrayList<>();
        schema.fieldNames().forEachRemaining(keyword -> {
            if (!KNOWN.contains(keyword)) {
                unsupported.add(keyword);
            }
        });
        String widget = text(schema, "ui:widget");
        if (widget != null && !WIDGETS.contains(widget)) {
            unsupported.add("ui:widget: " + widget);
        }
        // a secret (ui:field: Secret, ui:widget: password, format: password) is a password input,
        // never shown back in clear
        boolean secret = secretScalar(schema);
        String picker = secret ? null : text(schema, "ui:field");
        if (picker != null && !PICKERS.contains(picker)) {
            unsupported.add("ui:field: " + picker);
        }
        String format = text(schema, "format");
        if (format != null && !FORMATS.contains(format) && !secret) {
            unsupported.add("format: " + format);
        }
        String label = Optional.ofNullable(text(schema, "ui:title")).or(() -> Optional.ofNullable(text(schema, "title")))
                .orElse(humanize(name));
        String description = Optional.ofNullable(text(schema, "ui:description")).orElse(text(schema, "description"));
        String help = text(schema, "ui:help");
        if (help == null && schema.path("examples").isArray() && !schema.path("examples").isEmpty()) {
            List<String> examples = new ArrayList<>();
            schema.path("examples").forEach(example -> examples.add(example.isValueNode() ? example.asText() : example.toString()));
            help = "For example: " + String.join(", ", examples);
        }
        String placeholder = text(schema, "ui:placeholder");
        boolean autofocus = schema.path("ui:autofocus").asBoolean(false);
        boolean readOnly = schema.path("readOnly").asBoolean(false);
        List<String> fieldErrors = new ArrayList<>();
        errors.forEach((errorPath, messages) -> {
            if (errorPath.equals(path) || (errorPath.startsWith(path + ".") && isArrayItem(errorPath.substring(path.length() + 1)))) {
                fieldErrors.addAll(messages);
            }
        });
        String id = "f-" + path.replaceAll("[^A-Za-z0-9_-]", "-");
        String type = type(schema);
        Builder field = new Builder(PREFIX + path, path, id, label, description, help, placeholder, required, autofocus,
                readOnly, fieldErrors, unsupported);

        if (secret) {
            return field.input("password", scalar(value != null ? value : schema.get("default"))).lengths(schema).field();
        }
        boolean cannotDraw = schema.has("anyOf") || schema.has("oneOf") || schema.has("allOf") || schema.has("$ref")
                || (picker != null && !PICKERS.contains(picker));
        if (cannotDraw) {
            return field.json(value);
        }
        if (schema.has("const")) {
            return field.fixed(scalar(schema.get("const")));
        }
        if (picker != null) {
            return picker(field, picker, schema, value, catalog);
        }
        if ("hidden".equals(widget)) {
            return field.hidden(scalar(value != null ? value : schema.get("default")));
        }
        switch (type) {
            case "object" -> {
                if (!schema.has("properties") && !schema.has("dependencies") && !schema.has("if")) {
                    return field.json(value);
                }
                return field.object(objectFields(schema, value, path, errors, catalog));
            }
            case "array" -> {
                JsonNode items = schema.path("items");
                List<String> current = new ArrayList<>();
                if (value != null && value.isArray()) {
                    value.forEach(item -> current.add(scalar(item)));
                } else if (value == null && schema.path("default").isArray()) {
                    schema.path("default").forEach(item -> current.add(scalar(item)));
                }
                if (items.has("enum")) {
                    return field.checkboxes(options(items, current), current);
                }
                if ("string".equals(type(items)) && !items.has("properties")) {
                    return field.rows(current, items);
                }
                return field.json(value);
            }
            case "boolean" -> {
                boolean checked = value != null ? value.asBoolean(false) : schema.path("default").asBoolean(false);
                return field.checkbox(checked);
            }
            default -> {
                String current = scalar(value != null ? value : schema.get("default"));
                if (schema.has("enum")) {
                    List<FormField.Option> options = options(schema, List.of(current));
                    return "radio".equals(widget) ? field.radios(options, current) : field.select(options, current);
                }
                if ("integer".equals(type) || "number".equals(type)) {
                    String min = number(schema, "minimum", "exclusiveMinimum");
                    String max = number(schema, "maximum", "exclusiveMaximum");
                    String step = schema.has("multipleOf") ? schema.get("multipleOf").asText()
                            : "integer".equals(type) ? "1" : "any";
                    return field.input("number", current).range(min, max, step).field();
                }
                if ("textarea".equals(widget)) {
                    return field.textarea(current).lengths(schema).field();
                }
                String inputType = "password".equals(widget) ? "password"
                        : "email".equals(format) ? "email"
                        : "uri".equals(format) || "url".equals(format) ? "url"
                        : "date".equals(format) ? "date" : "text";
                return field.input(inputType, current).lengths(schema).pattern(text(schema, "pattern")).field();
            }
        }
    }

    private static FormField picker(Builder field, String picker, JsonNode schema, JsonNode value, Catalog catalog) {
        JsonNode options = schema.path("ui:options");
        String current = scalar(value != null ? value : schema.get("default"));
        return switch (picker) {
            case "EntityNamePicker" -> field.input("text", current).lengths(schema).pattern(ENTITY_NAME.pattern()).field();
            case "MyGroupsPicker" -> field.select(selected(catalog.myGroups(), current), current);
            default -> {
                JsonNode ownerDefault = "OwnerPicker".equals(picker)
                        ? JSON.createObjectNode().set("kind", JSON.createArrayNode().add("Group").add("User")) : null;
                List<FormField.Option> entities = selected(catalog.entities(options, ownerDefault), current);
                // Backstage lets people type any ref unless the template says otherwise
                boolean arbitrary = options.path("allowArbitraryValues").asBoolean(true);
                yield arbitrary ? field.datalist(entities, current) : field.select(entities, current);
            }
        };
    }

    private static List<FormField.Option> selected(List<FormField.Option> options, String current) {
        return options.stream().map(option -> new FormField.Option(option.value(), option.label(),
                option.value().equals(current))).toList();
    }

    private static List<FormField.Option> options(JsonNode schema, List<String> current) {
        List<FormField.Option> options = new ArrayList<>();
        JsonNode names = schema.path("enumNames");
        int i = 0;
        for (JsonNode value : schema.path("enum")) {
            String text = scalar(value);
            String label = names.has(i) ? names.get(i).asText() : text;
            options.add(new FormField.Option(text, label, current.contains(text)));
            i++;
        }
        return options;
    }

    private static boolean isArrayItem(String rest) {
        int dot = rest.indexOf('.');
        String first = dot < 0 ? rest : rest.substring(0, dot);
        return !first.isEmpty() && first.chars().allMatch(Character::isDigit);
    }

    // --- what the browser sent

    /**
     * The values of the fields a page drew (named by its {@link #FIELD_MARKER} parameters), put into
     * {@code into} (other pages' values stay). A field that is empty is left out, so that
     * {@code required} and {@code default} work as for the API. Fields the person's choices no longer
     * show are removed.
     */
    public static ObjectNode read(JsonNode page, Map<String, List<String>> params, ObjectNode into) {
        List<String> drawn = params.getOrDefault(FIELD_MARKER, List.of());
        for (String path : drawn) {
            JsonNode schema = schemaAt(page, into, path);
            if (schema == null) {
                continue;
            }
            List<String> sent = params.getOrDefault(PREFIX + path, List.of());
            Optional<JsonNode> value = value(schema, sent);
            put(into, path, value.orElse(null));
        }
        prune(page, into);
        return into;
    }

    /** Removes values whose field the current choices do not show (a branch switched off). */
    private static void prune(JsonNode schema, ObjectNode values) {
        Set<String> possible = allProperties(schema);
        Layout layout = layout(schema, values);
        for (String name : possible) {
            if (!layout.properties().containsKey(name)) {
                values.remove(name);
            }
        }
        layout.properties().forEach((name, property) -> {
            if (values.get(name) instanceof ObjectNode nested && "object".equals(type(property))) {
                prune(property, nested);
            }
        });
    }

    private static JsonNode schemaAt(JsonNode page, JsonNode values, String path) {
        JsonNode schema = page;
        JsonNode value = values;
        for (String part : path.split("\\.")) {
            JsonNode property = layout(schema, value).properties().get(part);
            if (property == null) {
                // a field of a branch the values do not switch on yet: look in every branch
                property = anyProperty(schema, part);
            }
            if (property == null) {
                return null;
            }
            schema = property;
            value = value == null ? null : value.get(part);
        }
        return schema;
    }

    private static JsonNode anyProperty(JsonNode schema, String name) {
        if (schema.path("properties").has(name)) {
            return schema.path("properties").get(name);
        }
        List<JsonNode> parts = new ArrayList<>();
        schema.path("dependencies").forEach(dependency -> {
            parts.add(dependency);
            dependency.path("oneOf").forEach(parts::add);
            dependency.path("anyOf").forEach(parts::add);
        });
        schema.path("dependentSchemas").forEach(parts::add);
        Optional.ofNullable(schema.get("then")).ifPresent(parts::add);
        Optional.ofNullable(schema.get("else")).ifPresent(parts::add);
        for (JsonNode part : parts) {
            if (part.path("properties").has(name)) {
                return part.path("properties").get(name);
            }
        }
        return null;
    }

    private static Optional<JsonNode> value(JsonNode schema, List<String> sent) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        String type = type(schema);
        String picker = secretScalar(schema) ? null : text(schema, "ui:field");
        boolean json = schema.has("anyOf") || schema.has("oneOf") || schema.has("allOf") || schema.has("$ref")
                || (picker != null && !PICKERS.contains(picker))
                || ("object".equals(type) && !schema.has("properties"))
                || ("array".equals(type) && !schema.path("items").has("enum") && !"string".equals(type(schema.path("items"))));
        if (json) {
            String text = sent.isEmpty() ? "" : sent.getFirst().strip();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readTree(text));
            } catch (JsonProcessingException e) {
                // kept as text: the validator then says what type it wants
                return Optional.of(nodes.textNode(text));
            }
        }
        if (schema.has("const")) {
            return Optional.of(schema.get("const").deepCopy());
        }
        switch (type) {
            case "array" -> {
                ArrayNode array = nodes.arrayNode();
                JsonNode items = schema.path("items");
                for (String item : sent) {
                    if (!item.isBlank()) {
                        array.add(scalarOf(items, item.strip()));
                    }
                }
                return array.isEmpty() && !schema.has("minItems") ? Optional.empty() : Optional.of(array);
            }
            case "boolean" -> {
                return Optional.of(nodes.booleanNode(sent.stream().anyMatch(value -> value.equals("true") || value.equals("on"))));
            }
            default -> {
                String text = sent.isEmpty() ? "" : sent.getLast();
                if (!SecretParameters.isSecret(schema)) {
                    text = text.strip();
                }
                return text.isEmpty() ? Optional.empty() : Optional.of(scalarOf(schema, text));
            }
        }
    }

    /** A typed value where the text reads as the schema's type; the text itself otherwise, for the validator to name. */
    private static JsonNode scalarOf(JsonNode schema, String text) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        String type = type(schema);
        try {
            if ("integer".equals(type)) {
                return nodes.numberNode(new BigDecimal(text).toBigIntegerExact());
            }
            if ("number".equals(type)) {
                return nodes.numberNode(new BigDecimal(text));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return nodes.textNode(text);
        }
        if ("boolean".equals(type)) {
            return text.equals("true") ? nodes.booleanNode(true) : text.equals("false") ? nodes.booleanNode(false) : nodes.textNode(text);
        }
        return nodes.textNode(text);
    }

    private static void put(ObjectNode values, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode object = values;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = object.get(parts[i]);
            object = next instanceof ObjectNode nested ? nested : object.putObject(parts[i]);
        }
        if (value == null) {
            object.remove(parts[parts.length - 1]);
        } else {
            object.set(parts[parts.length - 1], value);
        }
    }

    /** Adds an empty row to the repeatable field at {@code path} (the "Add" button without JavaScript). */
    public static void addRow(ObjectNode values, String path) {
        JsonNode current = get(values, path);
        ArrayNode rows = current instanceof ArrayNode array ? array : JsonNodeFactory.instance.arrayNode();
        rows.add("");
        put(values, path, rows);
    }

    /** Removes row {@code index} of the repeatable field at {@code path}. */
    public static void removeRow(ObjectNode values, String path, int index) {
        if (get(values, path) instanceof ArrayNode rows && index >= 0 && index < rows.size()) {
            rows.remove(index);
        }
    }

    private static JsonNode get(JsonNode values, String path) {
        JsonNode node = values;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    // --- pickers' own rules

    /**
     * What Backstage's pickers check on top of the schema: an EntityNamePicker's value is a valid
     * entity name; a picker that does not allow arbitrary values holds one of its entities.
     */
    public static Map<String, List<String>> pickerProblems(JsonNode page, JsonNode values, Catalog catalog) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        pickerProblems(page, values, "", catalog, problems);
        return problems;
    }

    private static void pickerProblems(JsonNode schema, JsonNode values, String path, Catalog catalog,
                                       Map<String, List<String>> problems) {
        layout(schema, values).properties().forEach((name, property) -> {
            String at = path.isEmpty() ? name : path + "." + name;
            JsonNode value = values == null ? null : values.get(name);
            String picker = text(property, "ui:field");
            if ("object".equals(type(property)) && value != null && value.isObject()) {
                pickerProblems(property, value, at, catalog, problems);
            }
            if (picker == null || value == null || !value.isTextual() || value.asText().isEmpty()) {
                return;
            }
            String text = value.asText();
            if ("EntityNamePicker".equals(picker) && (text.length() > 63 || !ENTITY_NAME.matcher(text).matches())) {
                problems.computeIfAbsent(at, key -> new ArrayList<>()).add("must be 1-63 letters, digits, '-', '_' or '.',"
                        + " starting and ending with a letter or digit");
            }
            boolean limited = ("EntityPicker".equals(picker) || "OwnerPicker".equals(picker))
                    && !property.path("ui:options").path("allowArbitraryValues").asBoolean(true);
            if (limited || "MyGroupsPicker".equals(picker)) {
                List<FormField.Option> choices = "MyGroupsPicker".equals(picker) ? catalog.myGroups()
                        : catalog.entities(property.path("ui:options"), "OwnerPicker".equals(picker)
                        ? JSON.createObjectNode().set("kind", JSON.createArrayNode().add("Group").add("User")) : null);
                if (choices.stream().noneMatch(choice -> choice.value().equals(text))) {
                    problems.computeIfAbsent(at, key -> new ArrayList<>()).add("must be one of the listed entities");
                }
            }
        });
    }

    // --- the server's problems

    /**
     * The parameter validator's problems ({@code values.name: does not match ...}) by dotted path
     * ({@code name}); problems of the values as a whole under the empty path.
     */
    public static Map<String, List<String>> byField(List<String> problems) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        for (String problem : problems) {
            int colon = problem.indexOf(": ");
            String where = colon < 0 ? "values" : problem.substring(0, colon);
            String what = colon < 0 ? problem : problem.substring(colon + 2);
            String path = where.equals("values") ? "" : where.startsWith("values.") ? where.substring(7) : where;
            byField.computeIfAbsent(path, key -> new ArrayList<>()).add(readable(what));
        }
        return byField;
    }

    /** The validator's wording where it speaks to programmers ("regex", "found, expected"). */
    static String readable(String problem) {
        if (problem.startsWith("does not match the regex pattern ")) {
            return "must match the pattern " + problem.substring("does not match the regex pattern ".length());
        }
        java.util.regex.Matcher type = Pattern.compile("^(\\w+) found, (\\w+) expected$").matcher(problem);
        if (type.matches()) {
            return "must be " + switch (type.group(2)) {
                case "integer" -> "a whole number";
                case "number" -> "a number";
                case "boolean" -> "yes or no";
                case "array" -> "a list";
                case "object" -> "a group of values";
                default -> "a " + type.group(2);
            } + " (got " + type.group(1) + ")";
        }
        return problem;
    }

    // --- small pieces

    /**
     * A value marked secret ({@code ui:field: Secret}, {@code ui:widget: password}, {@code format:
     * password}) that is typed in one field: drawn as a password input and read as typed.
     */
    private static boolean secretScalar(JsonNode schema) {
        String type = type(schema);
        return SecretParameters.isSecret(schema) && !"object".equals(type) && !"array".equals(type);
    }

    static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isTextual()) {
            return type.asText();
        }
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (!"null".equals(option.asText())) {
                    return option.asText();
                }
            }
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "string";
    }

    private static String text(JsonNode schema, String field) {
        JsonNode value = schema.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String number(JsonNode schema, String inclusive, String exclusive) {
        if (schema.path(inclusive).isNumber()) {
            return schema.get(inclusive).asText();
        }
        return schema.path(exclusive).isNumber() ? schema.get(exclusive).asText() : null;
    }

    private static String scalar(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** {@code javaPackage} → "Java package", for properties without a title. */
    static String humanize(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
        return spaced.isEmpty() ? name : Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    /** Collects a field's parts; one method per widget. */
    private record Builder(String name, String path, String id, String label, String description, String help,
                           String placeholder, boolean required, boolean autofocus, boolean readOnly, List<String> errors,
                           List<String> unsupported) {

        FormField make(String widget, String inputType, String value, List<String> values, List<FormField.Option> options,
                       boolean datalist, List<FormField> children) {
            return new FormField(widget, name, path, id, label, description, help, placeholder, required, autofocus,
                    readOnly, inputType, null, null, null, null, null, null, value, values, options, datalist, errors,
                    unsupported, children);
        }

        FieldParts input(String inputType, String value) {
            return new FieldParts(make("input", inputType, value, List.of(), List.of(), false, List.of()));
        }

        FieldParts textarea(String value) {
            return new FieldParts(make("textarea", null, value, List.of(), List.of(), false, List.of()));
        }

        FormField hidden(String value) {
            return make("hidden", null, value, List.of(), List.of(), false, List.of());
        }

        FormField fixed(String value) {
            return make("fixed", null, value, List.of(), List.of(), false, List.of());
        }

        FormField checkbox(boolean checked) {
            return make("checkbox", null, checked ? "true" : "", List.of(), List.of(), false, List.of());
        }

        FormField select(List<FormField.Option> options, String value) {
            return make("select", null, value, List.of(), options, false, List.of());
        }

        FormField datalist(List<FormField.Option> options, String value) {
            return make("input", "text", value, List.of(), options, true, List.of());
        }

        FormField radios(List<FormField.Option> options, String value) {
            return make("radios", null, value, List.of(), options, false, List.of());
        }

        FormField checkboxes(List<FormField.Option> options, List<String> values) {
            return make("checkboxes", null, "", values, options, false, List.of());
        }

        FormField rows(List<String> values, JsonNode items) {
            FormField rows = make("rows", "text", "", values, List.of(), false, List.of());
            return new FieldParts(rows).lengths(items).pattern(text(items, "pattern")).field();
        }

        FormField object(List<FormField> children) {
            return make("object", null, "", List.of(), List.of(), false, children);
        }

        FormField json(JsonNode value) {
            String text = value == null ? "" : value.isTextual() ? value.asText() : value.toPrettyString();
            return make("json", null, text, List.of(), List.of(), false, List.of());
        }
    }

    /** Adds input constraints (hints for the browser; the server validates) to a field. */
    private record FieldParts(FormField field) {

        FieldParts lengths(JsonNode schema) {
            return new FieldParts(with(field.pattern(), schema.path("minLength").isInt() ? schema.get("minLength").asInt() : null,
                    schema.path("maxLength").isInt() ? schema.get("maxLength").asInt() : null, field.min(), field.max(),
                    field.step()));
        }

        FieldParts pattern(String pattern) {
            return new FieldParts(with(pattern, field.minLength(), field.maxLength(), field.min(), field.max(), field.step()));
        }

        FieldParts range(String min, String max, String step) {
            return new FieldParts(with(field.pattern(), field.minLength(), field.maxLength(), min, max, step));
        }

        private FormField with(String pattern, Integer minLength, Integer maxLength, String min, String max, String step) {
            FormField f = field;
            return new FormField(f.widget(), f.name(), f.path(), f.id(), f.label(), f.description(), f.help(),
                    f.placeholder(), f.required(), f.autofocus(), f.readOnly(), f.inputType(), pattern, minLength, maxLength,
                    min, max, step, f.value(), f.values(), f.options(), f.datalist(), f.errors(), f.unsupported(),
                    f.children());
        }
    }
}
