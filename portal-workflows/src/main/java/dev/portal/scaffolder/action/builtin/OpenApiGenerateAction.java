package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.EntityRef;
import dev.portal.catalog.model.InvalidEntityRefException;
import dev.portal.catalog.persistence.EntityQueries;
import dev.portal.catalog.persistence.StoredEntity;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionInputException;
import dev.portal.scaffolder.action.ScaffolderAction;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.openapitools.codegen.ClientOptInput;
import org.openapitools.codegen.CodegenConfig;
import org.openapitools.codegen.CodegenConfigLoader;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;
import org.openapitools.codegen.config.GlobalSettings;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code portal.openapi-generate}: generates a server stub or a client with OpenAPI Generator (used
 * as a library) into the workspace, from the definition of a catalog API entity or from an inline
 * definition.
 *
 * <p>Definitions are untrusted. A {@code $ref} to anything but a place in the same document
 * ({@code #/...}) is refused before parsing, and the document is parsed without resolving
 * references, so neither local files nor URLs are ever read. Generator options that name files to
 * read ({@code templateDir}, {@code ignoreFileOverride}) or turn on running external formatters
 * ({@code enablePostProcessFile}) are refused, as are option values that are absolute paths or
 * climb with {@code ..}; every file the generator reports is checked to lie inside the output
 * folder. Generator names are checked against the generators OpenAPI Generator ships, because it
 * would otherwise instantiate any class named.
 */
public final class OpenApiGenerateAction
        implements ScaffolderAction<OpenApiGenerateAction.Input, OpenApiGenerateAction.Output> {

    /** The job type. */
    public static final String ID = "portal.openapi-generate";

    private static final Set<String> REFUSED_OPTIONS = Set.of("templateDir", "ignoreFileOverride",
            "enablePostProcessFile", "templatingEngine", "inputSpec", "outputDir");
    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef");
    private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("^[A-Za-z]:[/\\\\].*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    // The configurator insists on reading a spec location; it gets this one, and the parsed
    // untrusted definition replaces it before anything is generated.
    private static final String PLACEHOLDER_SPEC = """
            openapi: 3.0.3
            info: {title: placeholder, version: '1'}
            paths: {}
            """;

    private final Function<EntityRef, Optional<Entity>> entities;
    private volatile Set<String> generators;

    /**
     * @param entities looks an API entity up by its ref (case-insensitively, as the catalog does);
     *     empty when there is none
     */
    public OpenApiGenerateAction(Function<EntityRef, Optional<Entity>> entities) {
        this.entities = entities;
    }

    /** Looks API entities up in the catalog. */
    public OpenApiGenerateAction(EntityQueries catalog) {
        this(ref -> catalog.byRef(ref).map(StoredEntity::entity));
    }

    /**
     * What to generate, from what, where.
     *
     * @param apiRef the catalog API entity whose {@code spec.definition} to generate from, e.g.
     *     {@code api:default/orders} (kind defaults to API); or
     * @param definition an OpenAPI definition (YAML or JSON) to generate from; exactly one of the two
     * @param generator the OpenAPI Generator generator, e.g. {@code spring}, {@code java},
     *     {@code typescript-fetch}
     * @param outputPath the folder to generate into, relative to the workspace; the workspace by default
     * @param additionalProperties the generator's options, e.g. {@code interfaceOnly: true},
     *     {@code apiPackage: com.example.api}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String apiRef, String definition, String generator, String outputPath,
                       Map<String, String> additionalProperties) {
    }

    /**
     * What was generated.
     *
     * @param generator the generator used
     * @param outputPath the folder generated into, relative to the workspace ({@code .} for the workspace)
     * @param files how many files the generator wrote, its own metadata under {@code .openapi-generator} included
     */
    public record Output(String generator, String outputPath, int files) {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Generates a server stub or client with OpenAPI Generator into the workspace, from a catalog API"
                + " entity or an inline OpenAPI definition.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return ObjectSchema.describedAs("The API definition to generate from (apiRef or definition, exactly one),"
                        + " the generator and where to write.")
                .string("apiRef", "Entity ref of a catalog API entity with spec.type openapi, e.g."
                        + " api:default/orders; give this or definition.")
                .string("definition", "An OpenAPI definition (YAML or JSON) to generate from; give this or apiRef."
                        + " References ($ref) must stay inside the document.")
                .string("generator", "OpenAPI Generator generator name, e.g. spring, java, typescript-fetch.")
                .string("outputPath", "Folder to generate into, relative to the workspace; the workspace root by"
                        + " default.", property -> property.put("default", "."))
                .other("additionalProperties", "Generator options (OpenAPI Generator's additional properties),"
                        + " e.g. interfaceOnly: true, apiPackage: com.example.api.", property -> {
                    property.put("type", "object");
                    property.putObject("additionalProperties").putArray("type")
                            .add("string").add("boolean").add("number");
                })
                .required("generator")
                .build();
    }

    @Override
    public ObjectNode outputSchema() {
        return ObjectSchema.describedAs("What was generated.")
                .string("generator", "The generator used.")
                .string("outputPath", "Folder generated into, relative to the workspace.")
                .integer("files", "Number of files written, the generator's metadata included.")
                .build();
    }

    /** Generating only writes into the workspace, so a dry run generates too. */
    @Override
    public boolean supportsDryRun() {
        return true;
    }

    @Override
    public Output execute(Input input, ActionContext context) throws Exception {
        String generator = generator(input.generator());
        Source source = source(input);
        refuseExternalReferences(source);
        OpenAPI openApi = parse(source);
        Path output = WorkspaceFolder.resolve(context.workspace(), input.outputPath(), "outputPath");
        WorkspaceFolder.refuseLinksOut(context.workspace(), output, "outputPath");
        Map<String, Object> options = options(input.additionalProperties());
        String shownOutput = shown(context.workspace(), output);
        context.log().info("Generating " + generator + " from " + source.name() + " into " + shownOutput);
        List<File> files = generate(generator, openApi, output, options);
        context.log().info("Generated " + files.size() + " files into " + shownOutput);
        return new Output(generator, shownOutput, files.size());
    }

    private List<File> generate(String generator, OpenAPI openApi, Path output, Map<String, Object> options)
            throws IOException {
        Path placeholder = Files.createTempFile("portal-openapi-", ".yaml");
        List<File> files;
        try {
            Files.writeString(placeholder, PLACEHOLDER_SPEC);
            CodegenConfigurator configurator = new CodegenConfigurator()
                    .setGeneratorName(generator)
                    .setInputSpec(placeholder.toString())
                    .setOutputDir(output.toString())
                    .setEnablePostProcessFile(false)
                    .setQuiet(true)
                    .setAdditionalProperties(options);
            ClientOptInput opts = configurator.toClientOptInput().openAPI(openApi);
            files = new DefaultGenerator().opts(opts).generate();
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            // The same definition and options fail the same way every time: not worth a retry.
            throw new ActionInputException("OpenAPI Generator '" + generator + "' failed: " + e.getMessage(), e);
        } finally {
            // The generator keeps settings per thread; the worker thread's next job must not inherit them.
            GlobalSettings.reset();
            Files.deleteIfExists(placeholder);
        }
        List<String> outside = files.stream().map(file -> file.toPath().toAbsolutePath().normalize())
                .filter(path -> !path.startsWith(output)).map(Path::toString).toList();
        if (!outside.isEmpty()) {
            throw new ActionInputException("OpenAPI Generator '" + generator + "' wrote outside outputPath with"
                    + " these options: " + outside);
        }
        return files;
    }

    private String generator(String name) {
        if (name == null || name.isBlank()) {
            throw new ActionInputException("generator is required, e.g. spring, java or typescript-fetch");
        }
        if (!generators().contains(name)) {
            throw new ActionInputException("generator '" + name + "' is not an OpenAPI Generator generator;"
                    + " known ones include spring, java, kotlin-spring, typescript-fetch, python, go");
        }
        return name;
    }

    private Set<String> generators() {
        Set<String> known = generators;
        if (known == null) {
            // getAll() instantiates every generator once; keep the names rather than do that per job.
            known = CodegenConfigLoader.getAll().stream().map(CodegenConfig::getName)
                    .collect(Collectors.toUnmodifiableSet());
            generators = known;
        }
        return known;
    }

    private Source source(Input input) {
        boolean hasRef = input.apiRef() != null && !input.apiRef().isBlank();
        boolean hasDefinition = input.definition() != null && !input.definition().isBlank();
        if (hasRef == hasDefinition) {
            throw new ActionInputException("give exactly one of apiRef (a catalog API entity) and definition"
                    + " (an inline OpenAPI definition)");
        }
        if (hasDefinition) {
            return new Source("the inline definition", input.definition());
        }
        EntityRef ref;
        try {
            ref = EntityRef.parse(input.apiRef(), "API", EntityRef.DEFAULT_NAMESPACE);
        } catch (InvalidEntityRefException e) {
            throw new ActionInputException("apiRef '" + input.apiRef() + "' is not an entity ref: " + e.getMessage(), e);
        }
        Entity entity = entities.apply(ref).orElseThrow(() -> new ActionInputException(
                "apiRef '" + input.apiRef() + "': " + ref + " does not exist in the catalog"));
        if (!entity.kind().equalsIgnoreCase("API")) {
            throw new ActionInputException("apiRef '" + input.apiRef() + "': " + entity.ref() + " is a "
                    + entity.kind() + ", not an API");
        }
        String type = entity.spec().path("type").asText("");
        if (!type.toLowerCase(Locale.ROOT).equals("openapi")) {
            throw new ActionInputException("apiRef '" + input.apiRef() + "': " + entity.ref() + " is an API of type '"
                    + type + "'; only openapi definitions can be generated from");
        }
        JsonNode definition = entity.spec().path("definition");
        if (!definition.isTextual() || definition.asText().isBlank()) {
            throw new ActionInputException("apiRef '" + input.apiRef() + "': " + entity.ref()
                    + " has no spec.definition text");
        }
        return new Source(entity.ref().toString(), definition.asText());
    }

    private static void refuseExternalReferences(Source source) {
        JsonNode document;
        try {
            document = YAML.readTree(source.text());
        } catch (JacksonException e) {
            throw new ActionInputException(source.name() + " is neither YAML nor JSON: " + e.getOriginalMessage(), e);
        }
        Set<String> external = new TreeSet<>();
        collectExternalReferences(document, external);
        if (!external.isEmpty()) {
            throw new ActionInputException(source.name() + " refers to other documents (" + String.join(", ", external)
                    + "); only references inside the definition (#/...) are allowed, so that generating"
                    + " never reads files or URLs");
        }
    }

    private static void collectExternalReferences(JsonNode node, Set<String> external) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if (REFERENCE_KEYWORDS.contains(field.getKey()) && value.isTextual()
                        && !value.asText().startsWith("#")) {
                    external.add(field.getKey() + ": " + value.asText());
                }
                collectExternalReferences(value, external);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectExternalReferences(element, external));
        }
    }

    private static OpenAPI parse(Source source) {
        ParseOptions options = new ParseOptions();
        // Nothing outside the document is read: resolving is what would follow a $ref to a file or URL.
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIParser().readContents(source.text(), null, options);
        List<String> messages = result.getMessages() == null ? List.of() : result.getMessages();
        if (result.getOpenAPI() == null || !messages.isEmpty()) {
            throw new ActionInputException(source.name() + " is not a valid OpenAPI definition: "
                    + (messages.isEmpty() ? "no document found" : String.join("; ", messages)));
        }
        return result.getOpenAPI();
    }

    private static Map<String, Object> options(Map<String, String> additionalProperties) {
        Map<String, Object> options = new HashMap<>();
        if (additionalProperties == null) {
            return options;
        }
        List<String> refused = new ArrayList<>();
        additionalProperties.forEach((key, value) -> {
            if (REFUSED_OPTIONS.contains(key)) {
                refused.add(key + " (reads files or runs programs on the portal's host)");
            } else if (value != null && leavesTheFolder(value)) {
                refused.add(key + " '" + value + "' (an absolute path or one climbing with '..')");
            } else if (value != null) {
                options.put(key, value);
            }
        });
        if (!refused.isEmpty()) {
            throw new ActionInputException("additionalProperties refused: " + String.join(", ", refused));
        }
        return options;
    }

    private static boolean leavesTheFolder(String value) {
        if (value.startsWith("/") || value.startsWith("\\") || WINDOWS_ABSOLUTE.matcher(value).matches()) {
            return true;
        }
        for (String segment : value.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String shown(Path workspace, Path output) {
        String relative = workspace.toAbsolutePath().normalize().relativize(output).toString();
        return relative.isEmpty() ? "." : relative;
    }

    /**
     * A definition and how to name it in messages.
     *
     * @param name the API entity's ref, or "the inline definition"
     * @param text the definition
     */
    private record Source(String name, String text) {
    }
}
