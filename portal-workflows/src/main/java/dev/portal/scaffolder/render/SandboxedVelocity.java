package dev.portal.scaffolder.render;

import org.apache.velocity.VelocityContext;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Objects;
import java.util.Properties;

/**
 * Velocity for templates written by other people. What a template can do:
 * <ul>
 *   <li>read {@code $values} and {@code $run} (see {@link TemplateModel}), and {@code $slash}, a
 *       {@code /} for path names made from dotted values ({@code ${values.javaPackage.replace('.', $slash)}});
 *       an undefined reference is
 *       an error naming the template, line and reference (strict reference mode; write
 *       {@code $!values.optional} for a value that may be missing, {@code \$name} for a literal
 *       {@code $name});</li>
 *   <li>call only harmless methods of strings, numbers, booleans, lists and maps
 *       ({@link SandboxUberspector}): no {@code getClass()}, no static methods, no reflection, so no
 *       way to {@code Runtime}, {@code System}, class loaders or files;</li>
 *   <li>read no files: {@code #include}, {@code #parse} and {@code #evaluate} are refused when the
 *       template is parsed, and the only resource loader finds nothing;</li>
 *   <li>use {@code #set}, {@code #if}, {@code #foreach}, {@code #macro}, {@code #define}, {@code #break},
 *       within {@link RenderLimits}: iterations per loop and per file, output size, string size, time.</li>
 * </ul>
 * Thread-safe; one instance serves any number of renders.
 */
public final class SandboxedVelocity {

    private final RenderLimits limits;
    private final RuntimeInstance velocity;

    /** @param limits what every render through this engine is held to */
    public SandboxedVelocity(RenderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        Properties properties = new Properties();
        properties.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        // \$foo always renders as $foo, defined or not: the way to write ${placeholders} of the generated code.
        properties.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT_ESCAPE, "true");
        properties.setProperty(RuntimeConstants.UBERSPECT_CLASSNAME, SandboxUberspector.class.getName());
        properties.setProperty(RuntimeConstants.RESOURCE_LOADERS, "none");
        properties.setProperty("resource.loader.none.class", NoResourceLoader.class.getName());
        properties.setProperty(RuntimeConstants.CUSTOM_DIRECTIVES, String.join(",",
                SandboxDirectives.Foreach.class.getName(), SandboxDirectives.Include.class.getName(),
                SandboxDirectives.Parse.class.getName(), SandboxDirectives.Evaluate.class.getName()));
        // Our #foreach fails at the limit; Velocity's own bound is the backstop should it ever not be ours.
        properties.setProperty(RuntimeConstants.MAX_NUMBER_LOOPS, String.valueOf(limits.maxLoopIterations() + 1));
        properties.setProperty(RuntimeConstants.EVENTHANDLER_REFERENCEINSERTION, SandboxEvents.class.getName());
        // A macro belongs to the file that defines it: files of a skeleton cannot change each other's output.
        properties.setProperty(RuntimeConstants.VM_PERM_INLINE_LOCAL, "true");
        properties.setProperty(RuntimeConstants.VM_ARGUMENTS_STRICT, "true");
        properties.setProperty(RuntimeConstants.RUNTIME_LOG_REFERENCE_LOG_INVALID, "false");
        this.velocity = new RuntimeInstance();
        velocity.init(properties);
    }

    /** The limits every render is held to. */
    public RenderLimits limits() {
        return limits;
    }

    /**
     * Renders one template.
     *
     * @param name     what the template is, for messages (a skeleton file's path, say)
     * @param template the template text
     * @param model    what the template may read
     * @return the rendered text, at most {@link RenderLimits#maxFileBytes()} characters
     * @throws TemplateRenderException naming the template and, where known, line and column
     */
    public String render(String name, String template, TemplateModel model) {
        return RenderBudget.during(limits, name, () -> {
            VelocityContext context = new VelocityContext();
            context.put("values", model.values());
            context.put("run", model.run());
            // a '/' for path names built from dotted values, which a file name cannot hold itself:
            // src/main/java/${values.javaPackage.replace('.', $slash)}/Application.java
            context.put("slash", "/");
            BoundedWriter out = new BoundedWriter(new StringWriter(), limits.maxFileBytes(), name);
            try {
                velocity.evaluate(context, out, name, new StringReader(template));
            } catch (RuntimeException e) {
                throw explain(name, e);
            } catch (StackOverflowError e) {
                throw new TemplateRenderException(name + " nests macros or blocks too deeply to render", e);
            }
            return out.toString();
        });
    }

    private static TemplateRenderException explain(String name, RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TemplateRenderException ours) {
                return ours;
            }
        }
        if (failure instanceof ParseErrorException syntax) {
            // Velocity appends the full list of tokens it expected; the first line is what a person needs.
            String message = syntax.getMessage() == null ? "syntax error" : syntax.getMessage().lines().findFirst().orElse("");
            // Lexical errors come without the template's name ("*unset*"); we know it.
            String where = TemplateRenderException.at(name, syntax.getLineNumber(), syntax.getColumnNumber());
            return new TemplateRenderException("syntax error at " + where + ": " + message.replace("*unset*", name), failure);
        }
        if (failure instanceof VelocityException) {
            return new TemplateRenderException(failure.getMessage(), failure);
        }
        return new TemplateRenderException("rendering " + name + " failed: " + failure, failure);
    }
}
