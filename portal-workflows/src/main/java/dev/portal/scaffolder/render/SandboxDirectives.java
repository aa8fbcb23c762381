package dev.portal.scaffolder.render;

import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.RuntimeServices;
import org.apache.velocity.runtime.parser.node.Node;

import java.io.IOException;
import java.io.Writer;

/**
 * The directives {@link SandboxedVelocity} replaces. {@code #include}, {@code #parse} and
 * {@code #evaluate} are refused when a template is parsed, so a template that merely contains one
 * fails at once, whichever branch would run: the first two read files, and {@code #evaluate} of a
 * string that evaluates itself recurses until the stack overflows. {@code #foreach} counts its
 * iterations against the render's limits instead of silently stopping at Velocity's
 * {@code directive.foreach.max_loops}.
 *
 * <p>Public only because Velocity instantiates directives by class name; not for use elsewhere.
 */
public final class SandboxDirectives {

    private SandboxDirectives() {
    }

    /** {@code #foreach}, held to {@link RenderLimits#maxLoopIterations()} and {@link RenderLimits#maxIterationsPerFile()}. */
    public static final class Foreach extends org.apache.velocity.runtime.directive.Foreach {

        @Override
        public boolean render(InternalContextAdapter context, Writer writer, Node node) throws IOException {
            RenderBudget budget = RenderBudget.current();
            budget.enterLoop();
            try {
                return super.render(context, writer, node);
            } finally {
                budget.exitLoop();
            }
        }

        @Override
        protected void renderBlock(InternalContextAdapter context, Writer writer, Node block) throws IOException {
            RenderBudget.current().iteration(TemplateRenderException.at(getTemplateName(), getLine(), getColumn()));
            super.renderBlock(context, writer, block);
        }
    }

    /** A directive templates may not use: it fails the parse with a message saying why. */
    public abstract static class Refused extends org.apache.velocity.runtime.directive.Directive {

        private final String name;
        private final String reason;

        Refused(String name, String reason) {
            this.name = name;
            this.reason = reason;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getType() {
            return LINE;
        }

        @Override
        public void init(RuntimeServices services, InternalContextAdapter context, Node node) {
            throw new TemplateRenderException("#" + name + " is not allowed in templates: " + reason + " (at "
                    + TemplateRenderException.at(getTemplateName(), getLine(), getColumn()) + ")");
        }

        @Override
        public boolean render(InternalContextAdapter context, Writer writer, Node node) {
            // init refuses every use, so no template containing this directive gets this far
            throw new TemplateRenderException("#" + name + " is not allowed in templates");
        }
    }

    /** {@code #include} refused: templates may not read files. */
    public static final class Include extends Refused {
        public Include() {
            super("include", "templates may not read files; put the content in the skeleton instead");
        }
    }

    /** {@code #parse} refused: templates may not read files. */
    public static final class Parse extends Refused {
        public Parse() {
            super("parse", "templates may not read other templates; use a #macro in the same file instead");
        }
    }

    /** {@code #evaluate} refused: it renders strings built at run time, beyond what a reader of the template sees. */
    public static final class Evaluate extends Refused {
        public Evaluate() {
            super("evaluate", "templates may not render strings built at run time");
        }
    }
}
