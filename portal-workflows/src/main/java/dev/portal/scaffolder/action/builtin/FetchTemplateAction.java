package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.LocationPolicy;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ScaffolderAction;
import dev.portal.scaffolder.render.RenderLimits;
import dev.portal.scaffolder.render.RenderedSkeleton;
import dev.portal.scaffolder.render.SandboxedVelocity;
import dev.portal.scaffolder.render.Skeleton;
import dev.portal.scaffolder.render.SkeletonLocation;
import dev.portal.scaffolder.render.SkeletonRenderer;
import dev.portal.scaffolder.render.SkeletonSource;
import dev.portal.scaffolder.render.TemplateModel;

import java.util.List;
import java.util.Optional;

/**
 * {@code portal.fetch-template}: renders the template's skeleton into the run's workspace with the
 * run's values, the counterpart of Backstage's {@code fetch:template}. The skeleton is found by
 * {@link SkeletonSource}, rendered by {@link SkeletonRenderer} in the {@link SandboxedVelocity}
 * sandbox, and every {@code catalog-info.yaml} in it is stamped with the run's provenance.
 *
 * <p>Writes only into the workspace, so it runs in dry runs too. Running it again for the same step
 * (a redelivered job) replaces the target folder with the identical result.
 */
public final class FetchTemplateAction implements ScaffolderAction<FetchTemplateAction.Input, FetchTemplateAction.Output> {

    /** The job type. */
    public static final String ID = "portal.fetch-template";

    /**
     * The step's input.
     *
     * @param url                   a skeleton to use instead of the template's {@code spec.skeleton}
     * @param targetPath            the folder of the workspace to render into; the workspace itself when empty
     * @param values                values merged over the run's values (top-level fields replace the run's)
     * @param copyWithoutTemplating globs of skeleton files copied without rendering their contents
     */
    public record Input(String url, String targetPath, ObjectNode values, List<String> copyWithoutTemplating) {

        public Input {
            copyWithoutTemplating = copyWithoutTemplating == null ? List.of() : List.copyOf(copyWithoutTemplating);
        }

        /** Render the template's own skeleton into the workspace with the run's values. */
        public static Input defaults() {
            return new Input(null, null, null, List.of());
        }
    }

    /**
     * The step's output.
     *
     * @param targetPath the folder rendered into, relative to the workspace ({@code .} for the workspace itself)
     * @param files      how many files were written
     */
    public record Output(String targetPath, int files) {
    }

    private final SkeletonSource skeletons;
    private final SkeletonRenderer renderer;

    /**
     * @param skeletons where skeletons are found and which may be read
     * @param renderer  what renders them
     */
    public FetchTemplateAction(SkeletonSource skeletons, SkeletonRenderer renderer) {
        this.skeletons = skeletons;
        this.renderer = renderer;
    }

    /**
     * Default limits; skeletons next to their templates only, plus absolute locations {@code policy} allows.
     */
    public FetchTemplateAction(LocationPolicy policy) {
        this(new SkeletonSource(policy, RenderLimits.defaults()),
                new SkeletonRenderer(new SandboxedVelocity(RenderLimits.defaults())));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Renders the template's skeleton into the workspace with the run's values.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        ObjectNode schema = objectSchema("Input of " + ID + ".");
        ObjectNode properties = schema.putObject("properties");
        properties.set("url", property("string", "Skeleton to render instead of the template's spec.skeleton: a folder"
                + " relative to the template, or url:<repository>/-/blob/<branch>/<folder> where the portal allows that host."));
        properties.set("targetPath", property("string", "Folder of the workspace to render into, relative to the"
                + " workspace; the workspace itself when empty. Its previous contents are replaced."));
        properties.set("values", property("object", "Values merged over the run's parameter values before rendering;"
                + " each top-level field replaces the run's value of that name. Templates read them as $values.<name>."));
        ObjectNode globs = property("array", "Glob patterns, relative to the skeleton, of files or folders copied without"
                + " rendering their contents (their names are still rendered), e.g. scripts that use $VARIABLES"
                + " or files full of ${placeholders}.");
        globs.putObject("items").put("type", "string");
        properties.set("copyWithoutTemplating", globs);
        return schema;
    }

    @Override
    public ObjectNode outputSchema() {
        ObjectNode schema = objectSchema("Output of " + ID + ".");
        ObjectNode properties = schema.putObject("properties");
        properties.set("targetPath", property("string", "Folder the skeleton was rendered into, relative to the"
                + " workspace; '.' for the workspace itself."));
        properties.set("files", property("integer", "Number of files written."));
        schema.putArray("required").add("targetPath").add("files");
        return schema;
    }

    @Override
    public boolean supportsDryRun() {
        return true;
    }

    @Override
    public Output execute(Input input, ActionContext context) throws Exception {
        Input given = input == null ? Input.defaults() : input;
        SkeletonLocation location = skeletons.locate(context.run().template(), Optional.ofNullable(given.url()));
        context.log().info("fetching skeleton " + location.describe());
        TemplateModel model = TemplateModel.of(context.run(), given.values());
        try (Skeleton skeleton = skeletons.open(location)) {
            RenderedSkeleton rendered = renderer.render(skeleton.root(), context.workspace(), given.targetPath(), model,
                    given.copyWithoutTemplating(), context.log());
            return new Output(rendered.targetPath(), rendered.files());
        }
    }

    private static ObjectNode objectSchema(String description) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("type", "object");
        schema.put("description", description);
        schema.put("additionalProperties", false);
        return schema;
    }

    private static ObjectNode property(String type, String description) {
        ObjectNode property = JsonNodeFactory.instance.objectNode();
        property.put("type", type);
        property.put("description", description);
        return property;
    }
}
