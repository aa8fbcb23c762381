package dev.portal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.CatalogText;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.Problem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a descriptor against Backstage's rules: the envelope and metadata formats of its
 * {@code FieldFormatEntityPolicy} and {@code KubernetesValidatorFunctions}, root fields as in
 * {@code NoForeignRootFieldsEntityPolicy}, and the required {@code spec} fields of each built-in
 * kind's JSON schema. Every problem is reported, not just the first, so one edit fixes a file.
 *
 * <p>Problems name the entity ({@code component:default/x}) when its kind and name can be read,
 * otherwise the fallback subject (typically the document, {@code catalog-info.yaml, document 3}).
 * Fields are dotted paths; list items are {@code [index]} from 0 and map keys {@code [key]}, e.g.
 * {@code metadata.tags[1]}, {@code metadata.labels[example.com/team]}.
 *
 * <p>No string of a descriptor, key or value, may hold a control character other than tab, line
 * feed and carriage return ({@link CatalogText}): the catalog could neither store nor match it.
 * Fields and values named in problems have such characters escaped, so a problem can always be stored.
 *
 * <p>Entity refs are only checked for type here; whether they parse is {@link RelationDeriver}'s
 * concern, since it knows each field's default kind. Stateless and thread-safe.
 */
public final class EntityValidator {

    /** The apiVersion of the built-in catalog kinds. */
    public static final String CATALOG_V1ALPHA1 = "backstage.io/v1alpha1";
    /** Accepted for the built-in catalog kinds, as Backstage does. */
    public static final String CATALOG_V1BETA1 = "backstage.io/v1beta1";
    /** The apiVersion of {@code Template}. */
    public static final String SCAFFOLDER_V1BETA3 = "scaffolder.backstage.io/v1beta3";

    private static final Set<String> CATALOG_KINDS =
            Set.of("API", "Component", "Domain", "Group", "Location", "Resource", "System", "User");
    private static final Map<String, Set<String>> KINDS_BY_API_VERSION = Map.of(
            CATALOG_V1ALPHA1, CATALOG_KINDS,
            CATALOG_V1BETA1, CATALOG_KINDS,
            SCAFFOLDER_V1BETA3, Set.of("Template"));
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec", "relations", "status");

    private static final Pattern OBJECT_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]+(?:-+[a-z0-9]+)*$");
    private static final Pattern TAG = Pattern.compile("^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$");
    private static final Pattern KIND = Pattern.compile("^[a-zA-Z][a-z0-9A-Z]*$");

    /** Problems reported about control characters per document, at most. */
    private static final int MAX_TEXT_PROBLEMS = 10;

    private static final String OBJECT_NAME_RULE = "must be 1-63 characters of [a-zA-Z0-9] separated by [-_.]";
    private static final String DNS_LABEL_RULE = "must be 1-63 characters of [a-z0-9] separated by [-]";
    private static final String KEY_RULE = "must be a name of 1-63 characters of [a-zA-Z0-9] separated by [-_.],"
            + " optionally prefixed by a DNS subdomain of at most 253 characters and '/'";

    /**
     * Validates one descriptor.
     *
     * @param json the descriptor as parsed; not changed
     * @param fallbackSubject names the entity in problems when its kind or name cannot be read
     * @return every problem found, empty when the descriptor is valid
     */
    public List<Problem> validate(ObjectNode json, String fallbackSubject) {
        Objects.requireNonNull(json, "json");
        Problems problems = new Problems(subject(json, fallbackSubject));
        validateText(json, "", problems);
        validateRoot(json, problems);
        JsonNode metadata = json.get("metadata");
        if (metadata == null) {
            problems.add("metadata", "is required and must be an object with at least a name");
        } else if (!metadata.isObject()) {
            problems.add("metadata", "must be an object, not " + describe(metadata));
        } else {
            validateMetadata(metadata, problems);
        }
        String kind = json.path("kind").isTextual() ? json.get("kind").asText() : null;
        if (kind != null && KINDS_BY_API_VERSION.values().stream().anyMatch(kinds -> kinds.contains(kind))) {
            validateSpec(kind, json.get("spec"), problems);
        }
        return problems.list;
    }

    private static String subject(ObjectNode json, String fallbackSubject) {
        JsonNode kind = json.path("kind");
        JsonNode name = json.path("metadata").path("name");
        JsonNode namespace = json.path("metadata").path("namespace");
        if (!kind.isTextual() || kind.asText().isBlank() || !name.isTextual() || name.asText().isBlank()) {
            return fallbackSubject;
        }
        String ns = namespace.isTextual() && !namespace.asText().isBlank() ? namespace.asText() : EntityRef.DEFAULT_NAMESPACE;
        // The subject is stored with every problem: a ref that breaks the text rule names the document instead.
        if (Stream.of(kind.asText(), ns, name.asText()).anyMatch(part -> CatalogText.problem(part).isPresent())) {
            return fallbackSubject;
        }
        return new EntityRef(kind.asText(), ns, name.asText()).canonical();
    }

    /**
     * Every string of the document, keys included, against {@link CatalogText}'s rule; a hostile
     * document with thousands of them gets a handful of problems, not thousands.
     */
    private static void validateText(JsonNode node, String path, Problems problems) {
        if (problems.textProblems >= MAX_TEXT_PROBLEMS) {
            return;
        }
        if (node.isTextual()) {
            CatalogText.problem(node.asText()).ifPresent(problem -> problems.addText(path, problem));
        } else if (node.isObject()) {
            node.properties().forEach(field -> {
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                Optional<String> keyProblem = CatalogText.problem(field.getKey());
                if (keyProblem.isPresent()) {
                    problems.addText(path.isEmpty() ? "(root)" : path, "has a key " + quote(field.getKey()) + " that "
                            + keyProblem.get());
                } else {
                    validateText(field.getValue(), fieldPath, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                validateText(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static void validateRoot(ObjectNode json, Problems problems) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ROOT_FIELDS.contains(name)) {
                problems.add(name, "is not allowed at the root; only apiVersion, kind, metadata, spec, relations and status are");
            }
        }
        JsonNode apiVersion = json.get("apiVersion");
        JsonNode kind = json.get("kind");
        boolean apiVersionText = requireString(json, "apiVersion", "apiVersion", problems);
        boolean kindText = requireString(json, "kind", "kind", problems);
        if (kindText && (kind.asText().length() > 63 || !KIND.matcher(kind.asText()).matches())) {
            problems.add("kind", quote(kind.asText()) + " must be 1-63 characters of [a-zA-Z0-9] starting with a letter");
            return;
        }
        if (!apiVersionText) {
            return;
        }
        Set<String> kinds = KINDS_BY_API_VERSION.get(apiVersion.asText());
        if (kinds == null) {
            problems.add("apiVersion", quote(apiVersion.asText()) + " is not supported; expected "
                    + CATALOG_V1ALPHA1 + ", " + CATALOG_V1BETA1 + " or " + SCAFFOLDER_V1BETA3);
        } else if (kindText && !kinds.contains(kind.asText())) {
            String other = KINDS_BY_API_VERSION.entrySet().stream()
                    .filter(entry -> entry.getValue().contains(kind.asText()))
                    .map(Map.Entry::getKey).sorted().findFirst().orElse(null);
            problems.add("kind", other != null
                    ? quote(kind.asText()) + " needs apiVersion " + other + ", not " + apiVersion.asText()
                    : quote(kind.asText()) + " is not a kind of " + apiVersion.asText() + "; expected one of "
                            + String.join(", ", kinds.stream().sorted().toList()));
        }
    }

    private static void validateMetadata(JsonNode metadata, Problems problems) {
        JsonNode name = metadata.get("name");
        if (requireString(metadata, "name", "metadata.name", problems)) {
            checkObjectName(name.asText(), "metadata.name", problems);
        }
        JsonNode namespace = metadata.get("namespace");
        if (optionalString(metadata, "namespace", "metadata.namespace", problems) && !isDnsLabel(namespace.asText())) {
            problems.add("metadata.namespace", quote(namespace.asText()) + " " + DNS_LABEL_RULE);
        }
        optionalString(metadata, "title", "metadata.title", problems);
        optionalString(metadata, "description", "metadata.description", problems);
        validateLabels(metadata.get("labels"), problems);
        validateAnnotations(metadata.get("annotations"), problems);
        validateTags(metadata.get("tags"), problems);
        validateLinks(metadata.get("links"), problems);
    }

    private static void validateLabels(JsonNode labels, Problems problems) {
        if (!optionalObject(labels, "metadata.labels", problems)) {
            return;
        }
        labels.properties().forEach(label -> {
            String field = "metadata.labels[" + label.getKey() + "]";
            checkKey(label.getKey(), field, problems);
            JsonNode value = label.getValue();
            if (!value.isTextual()) {
                problems.add(field, "must be a string, not " + describe(value));
            } else if (!value.asText().isEmpty() && !isObjectName(value.asText())) {
                problems.add(field, quote(value.asText()) + " must be empty or " + OBJECT_NAME_RULE.substring("must be ".length()));
            }
        });
    }

    private static void validateAnnotations(JsonNode annotations, Problems problems) {
        if (!optionalObject(annotations, "metadata.annotations", problems)) {
            return;
        }
        annotations.properties().forEach(annotation -> {
            String field = "metadata.annotations[" + annotation.getKey() + "]";
            checkKey(annotation.getKey(), field, problems);
            if (!annotation.getValue().isTextual()) {
                problems.add(field, "must be a string, not " + describe(annotation.getValue())
                        + "; quote values such as 'true' or '123'");
            }
        });
    }

    private static void validateTags(JsonNode tags, Problems problems) {
        if (!optionalArray(tags, "metadata.tags", problems)) {
            return;
        }
        for (int i = 0; i < tags.size(); i++) {
            JsonNode tag = tags.get(i);
            String field = "metadata.tags[" + i + "]";
            if (!tag.isTextual()) {
                problems.add(field, "must be a string, not " + describe(tag));
            } else if (tag.asText().length() > 63 || !TAG.matcher(tag.asText()).matches()) {
                problems.add(field, quote(tag.asText()) + " must be 1-63 characters of [a-z0-9:+#] separated by [-]");
            }
        }
    }

    private static void validateLinks(JsonNode links, Problems problems) {
        if (!optionalArray(links, "metadata.links", problems)) {
            return;
        }
        for (int i = 0; i < links.size(); i++) {
            JsonNode link = links.get(i);
            String field = "metadata.links[" + i + "]";
            if (!link.isObject()) {
                problems.add(field, "must be an object with a url, not " + describe(link));
                continue;
            }
            JsonNode url = link.get("url");
            if (requireString(link, "url", field + ".url", problems) && !isAbsoluteUrl(url.asText())) {
                problems.add(field + ".url", quote(url.asText()) + " must be an absolute URL");
            }
            JsonNode title = link.get("title");
            if (optionalString(link, "title", field + ".title", problems) && title.asText().isBlank()) {
                problems.add(field + ".title", "must not be blank");
            }
            JsonNode icon = link.get("icon");
            if (optionalString(link, "icon", field + ".icon", problems)) {
                checkObjectName(icon.asText(), field + ".icon", problems);
            }
            optionalString(link, "type", field + ".type", problems);
        }
    }

    private static void validateSpec(String kind, JsonNode spec, Problems problems) {
        if (spec == null) {
            problems.add("spec", "is required for kind " + kind);
            return;
        }
        if (!spec.isObject()) {
            problems.add("spec", "must be an object, not " + describe(spec));
            return;
        }
        switch (kind) {
            case "Component" -> {
                requireStrings(spec, problems, "type", "lifecycle", "owner");
                optionalStrings(spec, problems, "system", "subcomponentOf");
                optionalStringArrays(spec, problems, "providesApis", "consumesApis", "dependsOn", "dependencyOf");
            }
            case "API" -> {
                requireStrings(spec, problems, "type", "lifecycle", "owner", "definition");
                optionalStrings(spec, problems, "system");
            }
            case "Resource" -> {
                requireStrings(spec, problems, "type", "owner");
                optionalStrings(spec, problems, "system");
                optionalStringArrays(spec, problems, "dependsOn", "dependencyOf");
            }
            case "System" -> {
                requireStrings(spec, problems, "owner");
                optionalStrings(spec, problems, "domain");
            }
            case "Domain" -> {
                requireStrings(spec, problems, "owner");
                optionalStrings(spec, problems, "subdomainOf");
            }
            case "Group" -> {
                requireStrings(spec, problems, "type");
                requireStringArray(spec, "children", problems);
                optionalStrings(spec, problems, "parent");
                optionalStringArrays(spec, problems, "members");
                validateProfile(spec.get("profile"), problems);
            }
            case "User" -> {
                requireStringArray(spec, "memberOf", problems);
                validateProfile(spec.get("profile"), problems);
            }
            case "Location" -> {
                optionalStrings(spec, problems, "type", "target");
                optionalStringArrays(spec, problems, "targets");
                if (!spec.has("target") && !spec.has("targets")) {
                    problems.add("spec.target", "or spec.targets is required: a location must point somewhere");
                }
            }
            case "Template" -> {
                requireStrings(spec, problems, "type");
                optionalStrings(spec, problems, "owner");
                validateTemplateParameters(spec.get("parameters"), problems);
                validateWorkflow(spec.get("workflow"), problems);
            }
            default -> throw new IllegalStateException("no spec rules for kind " + kind);
        }
    }

    private static void validateProfile(JsonNode profile, Problems problems) {
        if (optionalObject(profile, "spec.profile", problems)) {
            for (String field : List.of("displayName", "email", "picture")) {
                optionalNonEmptyString(profile, field, "spec.profile." + field, problems);
            }
        }
    }

    private static void validateTemplateParameters(JsonNode parameters, Problems problems) {
        if (parameters == null || parameters.isObject()) {
            return;
        }
        if (!parameters.isArray()) {
            problems.add("spec.parameters", "must be an object (a JSON schema) or a list of them, not " + describe(parameters));
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            if (!parameters.get(i).isObject()) {
                problems.add("spec.parameters[" + i + "]", "must be an object (a JSON schema), not " + describe(parameters.get(i)));
            }
        }
    }

    private static void validateWorkflow(JsonNode workflow, Problems problems) {
        if (optionalObject(workflow, "spec.workflow", problems)) {
            requireNonEmptyString(workflow, "processId", "spec.workflow.processId", problems);
        }
    }

    private static void requireStrings(JsonNode spec, Problems problems, String... fields) {
        for (String field : fields) {
            requireNonEmptyString(spec, field, "spec." + field, problems);
        }
    }

    private static void optionalStrings(JsonNode spec, Problems problems, String... fields) {
        for (String field : fields) {
            optionalNonEmptyString(spec, field, "spec." + field, problems);
        }
    }

    private static void optionalStringArrays(JsonNode spec, Problems problems, String... fields) {
        for (String field : fields) {
            if (spec.has(field)) {
                requireStringArray(spec, field, problems);
            }
        }
    }

    private static void requireStringArray(JsonNode spec, String field, Problems problems) {
        JsonNode array = spec.get(field);
        String path = "spec." + field;
        if (array == null) {
            problems.add(path, "is required (it may be an empty list)");
            return;
        }
        if (!array.isArray()) {
            problems.add(path, "must be a list of strings, not " + describe(array));
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            if (!item.isTextual() || item.asText().isEmpty()) {
                problems.add(path + "[" + i + "]", "must be a non-empty string, not " + describe(item));
            }
        }
    }

    private static void requireNonEmptyString(JsonNode parent, String name, String path, Problems problems) {
        if (requireString(parent, name, path, problems) && parent.get(name).asText().isEmpty()) {
            problems.add(path, "must not be empty");
        }
    }

    private static void optionalNonEmptyString(JsonNode parent, String name, String path, Problems problems) {
        if (optionalString(parent, name, path, problems) && parent.get(name).asText().isEmpty()) {
            problems.add(path, "must not be empty");
        }
    }

    /** Whether the field is a string; reports it when missing or of another type. */
    private static boolean requireString(JsonNode parent, String name, String path, Problems problems) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            problems.add(path, "is required");
            return false;
        }
        return optionalString(parent, name, path, problems);
    }

    /** Whether the field is present and a string; reports it when present with another type. */
    private static boolean optionalString(JsonNode parent, String name, String path, Problems problems) {
        JsonNode value = parent.get(name);
        if (value == null) {
            return false;
        }
        if (!value.isTextual()) {
            problems.add(path, "must be a string, not " + describe(value));
            return false;
        }
        return true;
    }

    private static boolean optionalObject(JsonNode value, String path, Problems problems) {
        if (value == null) {
            return false;
        }
        if (!value.isObject()) {
            problems.add(path, "must be an object, not " + describe(value));
            return false;
        }
        return true;
    }

    private static boolean optionalArray(JsonNode value, String path, Problems problems) {
        if (value == null) {
            return false;
        }
        if (!value.isArray()) {
            problems.add(path, "must be a list, not " + describe(value));
            return false;
        }
        return true;
    }

    /** Why a ref's parts can never name an entity, or {@code null} when they can. */
    static String refPartsProblem(EntityRef ref) {
        if (!KIND.matcher(ref.kind()).matches()) {
            return "kind " + quote(ref.kind()) + " must be letters and digits, starting with a letter";
        }
        if (!isDnsLabel(ref.namespace())) {
            return "namespace " + quote(ref.namespace()) + " " + DNS_LABEL_RULE;
        }
        if (!isObjectName(ref.name())) {
            return "name " + quote(ref.name()) + " " + OBJECT_NAME_RULE;
        }
        return null;
    }

    private static void checkObjectName(String value, String path, Problems problems) {
        if (!isObjectName(value)) {
            problems.add(path, quote(value) + " " + OBJECT_NAME_RULE);
        }
    }

    /** Label and annotation keys: {@code [dns-subdomain/]object-name}, as Kubernetes has them. */
    private static void checkKey(String key, String path, Problems problems) {
        String[] parts = key.split("/", -1);
        boolean valid = switch (parts.length) {
            case 1 -> isObjectName(parts[0]);
            case 2 -> isDnsSubdomain(parts[0]) && isObjectName(parts[1]);
            default -> false;
        };
        if (!valid) {
            problems.add(path, "key " + quote(key) + " " + KEY_RULE);
        }
    }

    static boolean isObjectName(String value) {
        return !value.isEmpty() && value.length() <= 63 && OBJECT_NAME.matcher(value).matches();
    }

    static boolean isDnsLabel(String value) {
        return !value.isEmpty() && value.length() <= 63 && DNS_LABEL.matcher(value).matches();
    }

    private static boolean isDnsSubdomain(String value) {
        if (value.isEmpty() || value.length() > 253) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!isDnsLabel(label)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAbsoluteUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static String quote(String value) {
        return "'" + value + "'";
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            case BOOLEAN -> "a boolean (" + value.asText() + ")";
            case NUMBER -> "a number (" + value.asText() + ")";
            case STRING -> "the string " + quote(value.asText());
            default -> value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Collects problems about one subject. */
    private static final class Problems {

        private final String subject;
        private final List<Problem> list = new ArrayList<>();
        private int textProblems;

        Problems(String subject) {
            this.subject = subject;
        }

        // Fields and messages name keys and quote values of the document: escaped, they are safe to store.
        void add(String field, String message) {
            list.add(new Problem(subject, CatalogText.escaped(field), CatalogText.escaped(message)));
        }

        void addText(String field, String message) {
            textProblems++;
            add(field, textProblems < MAX_TEXT_PROBLEMS ? message
                    : message + " (further strings with control characters are not listed)");
        }
    }
}
