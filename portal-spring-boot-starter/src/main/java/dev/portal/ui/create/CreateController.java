package dev.portal.ui.create;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.catalog.query.EntityFilter;
import dev.portal.catalog.query.Order;
import dev.portal.error.InvalidInputException;
import dev.portal.error.NotFoundException;
import dev.portal.scaffolder.Scaffolder;
import dev.portal.scaffolder.RunNotStarted;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.secret.SecretBox;
import dev.portal.scaffolder.secret.SecretParameters;
import dev.portal.scaffolder.secret.SecretUnavailableException;
import dev.portal.scaffolder.template.InvalidParametersException;
import dev.portal.scaffolder.template.TemplateDefinition;
import dev.portal.ui.Link;
import dev.portal.ui.UiPages;
import dev.portal.ui.UiShell;
import dev.portal.ui.UiShells;
import dev.portal.ui.catalog.CatalogViews;
import dev.portal.web.AuthorizedCatalog;
import dev.portal.web.AuthorizedScaffolder;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Create: the template gallery and a template's wizard. The wizard draws each parameter page of the
 * template's JSON Schema as a form ({@link SchemaForm}), carries the values from page to page, checks
 * them with the Scaffolder's own parameter validator (errors next to their fields, values kept),
 * shows a review with a dry run's files, and starts the run. Everything goes through
 * {@link AuthorizedScaffolder}, as the REST API does.
 */
@Controller
public class CreateController {

    static final int MAX_PICKER_ENTITIES = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuthorizedScaffolder scaffolder;
    private final AuthorizedCatalog catalog;
    private final UiShells shells;
    private final UiPages pages;
    private final SecretBox secrets;

    public CreateController(AuthorizedScaffolder scaffolder, AuthorizedCatalog catalog, UiShells shells, UiPages pages,
                            SecretBox secrets) {
        this.scaffolder = scaffolder;
        this.catalog = catalog;
        this.shells = shells;
        this.pages = pages;
        this.secrets = secrets;
    }

    // --- the gallery

    @GetMapping("${portal.ui.path:/portal}/create")
    ResponseEntity<String> gallery(@RequestParam(defaultValue = "") String q, @RequestParam(required = false) String tag,
                                   @RequestParam(required = false) String owner, @RequestParam(required = false) String type,
                                   HttpServletRequest request) {
        UiShell shell = shells.shell(request, "Create", "create");
        List<TemplateDefinition> templates = scaffolder.templates();
        Map<String, String> problems = scaffolder.templateProblems();
        Map<EntityRef, String> types = types(templates);
        String term = q.strip();
        List<TemplateGalleryPage.Card> cards = new ArrayList<>();
        Set<String> tags = new TreeSet<>();
        for (TemplateDefinition template : templates) {
            tags.addAll(template.tags());
            if (!matches(template, types.get(template.ref()), term, tag, owner, type)) {
                continue;
            }
            cards.add(card(template, types.get(template.ref()), shell, term, problems.get(template.ref().canonical())));
        }
        List<Link> filters = new ArrayList<>();
        if (tag != null) {
            filters.add(new Link(galleryHref(shell, term, null, owner, type), "Tag: " + tag));
        }
        if (owner != null) {
            filters.add(new Link(galleryHref(shell, term, tag, null, type), "Owner: " + owner));
        }
        if (type != null) {
            filters.add(new Link(galleryHref(shell, term, tag, owner, null), "Type: " + type));
        }
        boolean filtered = !term.isEmpty() || !filters.isEmpty();
        return pages.ok("create/gallery.jte", new TemplateGalleryPage(shell, term, filters,
                tags.stream().map(t -> new Link(galleryHref(shell, term, t, owner, type), t)).toList(),
                filtered ? shell.paths().create() : null, cards, templates.size()));
    }

    /** The templates' {@code spec.type}s, which the Scaffolder's definitions do not carry: one read. */
    private Map<EntityRef, String> types(List<TemplateDefinition> templates) {
        Map<EntityRef, String> types = new java.util.HashMap<>();
        if (templates.isEmpty()) {
            return types;
        }
        List<EntityRef> refs = templates.stream().map(TemplateDefinition::ref).toList();
        List<java.util.Optional<StoredEntity>> found = catalog.entities().byRefs(refs, EntityFilter.everything());
        for (int i = 0; i < refs.size(); i++) {
            EntityRef ref = refs.get(i);
            found.get(i).map(entity -> entity.entity().spec().path("type"))
                    .filter(JsonNode::isTextual).map(JsonNode::asText).filter(text -> !text.isBlank())
                    .ifPresent(typeName -> types.put(ref, typeName));
        }
        return types;
    }

    private static boolean matches(TemplateDefinition template, String templateType, String term, String tag,
                                   String owner, String type) {
        if (tag != null && template.tags().stream().noneMatch(tag::equalsIgnoreCase)) {
            return false;
        }
        if (owner != null && !owner.equalsIgnoreCase(template.owner())) {
            return false;
        }
        if (type != null && !type.equalsIgnoreCase(templateType)) {
            return false;
        }
        if (term.isEmpty()) {
            return true;
        }
        String needle = term.toLowerCase(Locale.ROOT);
        return (template.title() + "\n" + template.description() + "\n" + template.ref().name() + "\n"
                + String.join("\n", template.tags())).toLowerCase(Locale.ROOT).contains(needle);
    }

    private TemplateGalleryPage.Card card(TemplateDefinition template, String type, UiShell shell, String term,
                                          String problem) {
        Link owner = null;
        if (!template.owner().isBlank()) {
            EntityRef ownerRef = EntityRef.parse(template.owner(), "group", EntityRef.DEFAULT_NAMESPACE);
            owner = new Link(shell.paths().entity(ownerRef), CatalogViews.shortRef(ownerRef));
        }
        return new TemplateGalleryPage.Card(template.title(), template.description(), template.ref().canonical(), type,
                type == null ? null : new Link(galleryHref(shell, term, null, null, type), type), owner,
                template.tags().stream().map(t -> new Link(galleryHref(shell, term, t, null, null), t)).toList(),
                shell.paths().createTemplate(template.ref()), shell.paths().entity(template.ref()),
                template.parameters().size(), problem);
    }

    private static String galleryHref(UiShell shell, String term, String tag, String owner, String type) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(shell.paths().create());
        if (!term.isEmpty()) {
            uri.queryParam("q", term);
        }
        if (tag != null) {
            uri.queryParam("tag", tag);
        }
        if (owner != null) {
            uri.queryParam("owner", owner);
        }
        if (type != null) {
            uri.queryParam("type", type);
        }
        return uri.encode().build().toUriString();
    }

    // --- the wizard

    @GetMapping("${portal.ui.path:/portal}/create/{namespace}/{name}")
    ResponseEntity<String> start(@PathVariable String namespace, @PathVariable String name, HttpServletRequest request) {
        TemplateDefinition template = template(namespace, name);
        UiShell shell = shell(request, template);
        ObjectNode values = JSON.createObjectNode();
        return pages.ok("create/wizard.jte", page(shell, template, 0, values, Map.of(), null, null));
    }

    @PostMapping("${portal.ui.path:/portal}/create/{namespace}/{name}")
    ResponseEntity<String> step(@PathVariable String namespace, @PathVariable String name,
                                @RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        TemplateDefinition template = template(namespace, name);
        UiShell shell = shell(request, template);
        int pageCount = template.parameters().size();
        int step = Math.max(0, Math.min(pageCount, intParam(params.getFirst("_step"), 0)));
        ObjectNode values = values(params.getFirst("_values"));
        if (step < pageCount) {
            SchemaForm.read(template.parameters().get(step), params, values);
        }
        values = opened(template, values);
        String action = params.getFirst("_action") == null ? "next" : params.getFirst("_action");
        SchemaForm.Catalog pickers = pickers(shell);

        if (action.equals("refresh")) {
            return pages.ok("create/wizard.jte", page(shell, template, step, values, Map.of(), null, null));
        }
        if (action.startsWith("add:")) {
            SchemaForm.addRow(values, action.substring(4));
            return pages.ok("create/wizard.jte", page(shell, template, step, values, Map.of(), null, null));
        }
        if (action.startsWith("remove:")) {
            int colon = action.lastIndexOf(':');
            SchemaForm.removeRow(values, action.substring(7, colon), intParam(action.substring(colon + 1), -1));
            return pages.ok("create/wizard.jte", page(shell, template, step, values, Map.of(), null, null));
        }
        if (action.equals("back")) {
            return pages.ok("create/wizard.jte", page(shell, template, Math.max(0, step - 1), values, Map.of(), null, null));
        }
        if (action.startsWith("goto:")) {
            int target = Math.max(0, Math.min(pageCount, intParam(action.substring(5), step)));
            return pages.ok("create/wizard.jte", page(shell, template, target, values, Map.of(), null, null));
        }

        Map<String, List<String>> problems = problems(template, values, pickers);
        if (action.equals("next")) {
            Map<String, List<String>> here = onPage(template, step, problems);
            if (!here.isEmpty()) {
                return pages.page(HttpStatus.BAD_REQUEST, "create/wizard.jte", page(shell, template, step, values, here, null, null));
            }
            return pages.ok("create/wizard.jte", page(shell, template, Math.min(pageCount, step + 1), values, Map.of(), null, null));
        }
        // preview and start check every page; the first one with a problem is shown
        if (!problems.isEmpty()) {
            int first = firstPageWithProblems(template, problems);
            return pages.page(HttpStatus.BAD_REQUEST, "create/wizard.jte",
                    page(shell, template, first, values, first == pageCount ? problems : onPage(template, first, problems), null, null));
        }
        EntityRef ref = template.ref();
        if (action.equals("preview")) {
            try {
                Scaffolder.DryRunResult result = scaffolder.dryRun(ref, values);
                return pages.ok("create/wizard.jte", page(shell, template, pageCount, values, Map.of(), preview(result), null));
            } catch (InvalidInputException e) {
                return pages.page(HttpStatus.BAD_REQUEST, "create/wizard.jte",
                        page(shell, template, pageCount, values, Map.of(), null, "The preview did not work: " + e.getMessage()));
            }
        }
        if (action.equals("start")) {
            Run run;
            try {
                run = scaffolder.start(ref, values);
            } catch (InvalidParametersException e) {
                Map<String, List<String>> refused = SchemaForm.byField(e.problems());
                int first = firstPageWithProblems(template, refused);
                return pages.page(HttpStatus.BAD_REQUEST, "create/wizard.jte",
                        page(shell, template, first, values, refused, null, null));
            } catch (dev.portal.error.ConflictException | dev.portal.error.UnavailableException e) {
                if (e instanceof RunNotStarted notStarted) {
                    // the engine refused or did not answer: the run the start recorded says so, and why
                    return pages.seeOther(request, shell.paths().run(notStarted.runId()));
                }
                throw e;
            }
            return pages.seeOther(request, shell.paths().run(run.id()));
        }
        throw new InvalidInputException("The wizard does not know the button '" + action + "'.");
    }

    private TemplateDefinition template(String namespace, String name) {
        // starting needs a signed-in caller: ask before the questions, not after
        if (!shells.caller().isAuthenticated()) {
            throw new dev.portal.error.AuthenticationRequiredException("authentication is required to start a template");
        }
        EntityRef ref = EntityRef.of("template", namespace, name);
        // only the templates the Scaffolder offers: one it does not (its process cannot run here) is not found
        return scaffolder.templates().stream().filter(template -> template.ref().equals(ref)).findFirst()
                .orElseThrow(() -> new NotFoundException("There is no template " + ref.canonical() + " to run here."));
    }

    private UiShell shell(HttpServletRequest request, TemplateDefinition template) {
        return shells.shell(request, template.title(), "create");
    }

    /** Every problem of the values: the parameter validator's, and the pickers' own. */
    private static Map<String, List<String>> problems(TemplateDefinition template, ObjectNode values, SchemaForm.Catalog pickers) {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        try {
            dev.portal.scaffolder.template.ParameterValidator.validate(template, values);
        } catch (InvalidParametersException e) {
            problems.putAll(SchemaForm.byField(e.problems()));
        }
        for (JsonNode page : template.parameters()) {
            SchemaForm.pickerProblems(page, values, pickers).forEach((path, messages) ->
                    problems.computeIfAbsent(path, key -> new ArrayList<>()).addAll(messages));
        }
        return problems;
    }

    /** The problems that belong to page {@code step}: those of its fields. */
    private static Map<String, List<String>> onPage(TemplateDefinition template, int step, Map<String, List<String>> problems) {
        Map<String, List<String>> here = new LinkedHashMap<>();
        problems.forEach((path, messages) -> {
            if (pageOf(template, path) == step) {
                here.put(path, messages);
            }
        });
        return here;
    }

    private static int firstPageWithProblems(TemplateDefinition template, Map<String, List<String>> problems) {
        return problems.keySet().stream().mapToInt(path -> pageOf(template, path)).min().orElse(template.parameters().size());
    }

    /** The page whose properties hold {@code path}'s first part; the review for problems of the whole. */
    private static int pageOf(TemplateDefinition template, String path) {
        String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        for (int i = 0; i < template.parameters().size(); i++) {
            if (!top.isEmpty() && SchemaForm.allProperties(template.parameters().get(i)).contains(top)) {
                return i;
            }
        }
        return template.parameters().size();
    }

    private WizardPage page(UiShell shell, TemplateDefinition template, int step, ObjectNode values,
                            Map<String, List<String>> problems, WizardPage.Preview preview, String error) {
        List<WizardPage.Step> steps = new ArrayList<>();
        for (int i = 0; i < template.parameters().size(); i++) {
            JsonNode page = template.parameters().get(i);
            steps.add(new WizardPage.Step(i, page.path("title").asText("Step " + (i + 1)),
                    page.path("description").asText(null), i < step ? "done" : i == step ? "current" : "todo"));
        }
        steps.add(new WizardPage.Step(steps.size(), "Review and start", null,
                step == template.parameters().size() ? "current" : "todo"));
        List<FormField> fields = List.of();
        boolean conditional = false;
        List<String> pageProblems = new ArrayList<>();
        List<WizardPage.ReviewSection> review = List.of();
        ObjectNode carried = sealed(template, values);
        if (step < template.parameters().size()) {
            JsonNode page = template.parameters().get(step);
            // a secret entered before is drawn sealed into its password input, and comes back sealed
            fields = SchemaForm.fields(page, carried, problems, pickers(shell));
            conditional = page.has("dependencies") || page.has("dependentSchemas") || page.has("dependentRequired")
                    || page.has("if") || hasNestedConditions(page);
            Set<String> shown = new java.util.HashSet<>();
            collectPaths(fields, shown);
            problems.forEach((path, messages) -> {
                if (!shown.contains(path) && shown.stream().noneMatch(p -> path.startsWith(p + "."))) {
                    messages.forEach(message -> pageProblems.add(path.isEmpty() ? message : path + ": " + message));
                }
            });
        } else {
            problems.forEach((path, messages) -> messages.forEach(message ->
                    pageProblems.add(path.isEmpty() ? message : path + ": " + message)));
            review = review(template, values, shell);
        }
        String title = template.title();
        return new WizardPage(shell, title, template.description(), template.ref().canonical(),
                shell.paths().entity(template.ref()), shell.paths().create(), shell.paths().createTemplate(template.ref()),
                steps, step, fields, pageProblems, carried.toString(), conditional, review, preview, error);
    }

    private static boolean hasNestedConditions(JsonNode schema) {
        for (JsonNode property : schema.path("properties")) {
            if (property.has("dependencies") || property.has("if") || property.has("dependentSchemas")
                    || hasNestedConditions(property)) {
                return true;
            }
        }
        return false;
    }

    private static void collectPaths(List<FormField> fields, Set<String> paths) {
        for (FormField field : fields) {
            paths.add(field.path());
            collectPaths(field.children(), paths);
        }
    }

    private List<WizardPage.ReviewSection> review(TemplateDefinition template, ObjectNode values, UiShell shell) {
        List<WizardPage.ReviewSection> sections = new ArrayList<>();
        for (int i = 0; i < template.parameters().size(); i++) {
            JsonNode page = template.parameters().get(i);
            List<WizardPage.ReviewValue> shown = new ArrayList<>();
            for (FormField field : SchemaForm.fields(page, values, Map.of(), pickers(shell))) {
                reviewValues(field, values, shown, "");
            }
            sections.add(new WizardPage.ReviewSection(i, page.path("title").asText("Step " + (i + 1)), shown));
        }
        return sections;
    }

    private static void reviewValues(FormField field, JsonNode values, List<WizardPage.ReviewValue> shown, String prefix) {
        if (field.widget().equals("object")) {
            field.children().forEach(child -> reviewValues(child, values, shown, prefix + field.label() + " › "));
            return;
        }
        JsonNode value = values;
        for (String part : field.path().split("\\.")) {
            value = value == null ? null : value.get(part);
        }
        String text;
        if (value == null || value.isNull()) {
            text = "";
        } else if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.isValueNode() ? item.asText() : item.toString()));
            text = String.join(", ", items);
        } else if (value.isBoolean()) {
            text = value.asBoolean() ? "Yes" : "No";
        } else {
            text = value.isValueNode() ? value.asText() : value.toPrettyString();
        }
        if ("password".equals(field.inputType()) && !text.isEmpty()) {
            text = "••••••••";
        }
        if (field.widget().equals("select") || field.widget().equals("radios")) {
            String raw = text;
            text = field.options().stream().filter(option -> option.value().equals(raw)).map(FormField.Option::label)
                    .findFirst().orElse(raw);
        }
        shown.add(new WizardPage.ReviewValue(prefix + field.label(), text, text.contains("\n")));
    }

    private static WizardPage.Preview preview(Scaffolder.DryRunResult result) {
        List<WizardPage.PreviewFile> files = new ArrayList<>();
        Set<String> folders = new java.util.HashSet<>();
        int n = 0;
        for (Scaffolder.DryRunFile file : result.files()) {
            String[] parts = file.path().split("/");
            StringBuilder folder = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                folder.append(i == 0 ? "" : "/").append(parts[i]);
                if (folders.add(folder.toString())) {
                    files.add(new WizardPage.PreviewFile(folder.toString(), parts[i], i, true, 0, null, null));
                }
            }
            files.add(new WizardPage.PreviewFile(file.path(), parts[parts.length - 1], parts.length - 1, false, file.size(),
                    file.base64() ? null : file.content(), "file-" + n++));
        }
        return new WizardPage.Preview(files, result.log());
    }

    // --- the pickers' catalog look-ups

    private SchemaForm.Catalog pickers(UiShell shell) {
        return new SchemaForm.Catalog() {
            @Override
            public List<FormField.Option> entities(JsonNode options, JsonNode defaultFilter) {
                JsonNode spec = options.has("catalogFilter") ? options.get("catalogFilter")
                        : options.has("allowedKinds") ? JSON.createObjectNode().set("kind", options.get("allowedKinds"))
                        : defaultFilter;
                EntityFilter filter = spec == null ? EntityFilter.everything() : filter(spec);
                List<StoredEntity> found = catalog.entities().list(filter, List.of(Order.asc("metadata.name")), 0,
                        MAX_PICKER_ENTITIES);
                return found.stream().map(entity -> new FormField.Option(entity.ref().canonical(),
                        CatalogViews.title(entity.entity()) + " (" + entity.entity().kind() + " "
                                + CatalogViews.shortRef(entity.ref()) + ")", false)).toList();
            }

            @Override
            public List<FormField.Option> myGroups() {
                if (!shell.signedIn()) {
                    return List.of();
                }
                List<FormField.Option> groups = new ArrayList<>();
                for (int i = 0; i < shell.user().groupRefs().size(); i++) {
                    groups.add(new FormField.Option(shell.user().groupRefs().get(i), shell.user().groups().get(i).label(), false));
                }
                return groups;
            }
        };
    }

    /** Backstage's {@code catalogFilter}: an object of field → value(s), or a list of such objects (any of them). */
    static EntityFilter filter(JsonNode spec) {
        if (spec.isArray()) {
            List<EntityFilter> any = new ArrayList<>();
            spec.forEach(part -> any.add(filter(part)));
            return new EntityFilter.Any(any);
        }
        List<EntityFilter> all = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = spec.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            List<String> wanted = new ArrayList<>();
            if (field.getValue().isArray()) {
                field.getValue().forEach(value -> wanted.add(value.asText()));
            } else if (field.getValue().isValueNode()) {
                wanted.add(field.getValue().asText());
            }
            all.add(wanted.isEmpty() ? EntityFilter.exists(field.getKey())
                    : EntityFilter.equalTo(field.getKey(), wanted.toArray(String[]::new)));
        }
        return new EntityFilter.All(all);
    }

    /**
     * The values with each secret sealed for this caller and template: what the wizard's pages carry
     * (the hidden field of values entered so far, a password input drawn again), so that no page
     * holds a secret in clear. A sealed value posted back by another user, or for another template,
     * does not open.
     */
    private ObjectNode sealed(TemplateDefinition template, ObjectNode values) {
        return SecretParameters.seal(template, values, secrets, wizardBinding(template));
    }

    /** The posted values with the secrets the wizard sealed opened again. */
    private ObjectNode opened(TemplateDefinition template, ObjectNode values) {
        try {
            return (ObjectNode) secrets.open(values, wizardBinding(template), new ArrayList<>());
        } catch (SecretUnavailableException e) {
            // sealed with a key this instance no longer has (a restart with a generated key), or not for this form
            throw new InvalidInputException("A secret entered earlier in this form can no longer be read; start the"
                    + " template again.");
        }
    }

    private UUID wizardBinding(TemplateDefinition template) {
        String caller = shells.caller().user().map(EntityRef::canonical).orElse("");
        return UUID.nameUUIDFromBytes(("portal-wizard\n" + caller + "\n" + template.ref().canonical())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode values(String json) {
        if (json == null || json.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(json) instanceof ObjectNode object ? object : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("The form's values could not be read; start the template again.");
        }
    }

    private static int intParam(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
