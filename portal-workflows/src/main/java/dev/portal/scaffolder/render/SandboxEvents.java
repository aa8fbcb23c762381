package dev.portal.scaffolder.render;

import org.apache.velocity.context.Context;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.runtime.Renderable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Every value a template inserts passes here, including those interpolated into string literals
 * ({@code #set($s = "$s$s")}), which never reach the output writer: so no string a template builds
 * can grow past {@link RenderLimits#maxFileBytes()}. Blocks ({@code #define}, a block macro's
 * {@code $bodyContent}) are rendered here, into a bounded buffer, for the same reason.
 *
 * <p>Public only because Velocity instantiates event handlers by class name; not for use elsewhere.
 */
public final class SandboxEvents implements ReferenceInsertionEventHandler {

    @Override
    public Object referenceInsert(Context context, String reference, Object value) {
        if (value == null) {
            return null;
        }
        RenderBudget budget = RenderBudget.current();
        String where = "reference " + reference + " in " + budget.template();
        budget.checkTime(where);
        if (value instanceof Renderable block && context instanceof InternalContextAdapter internal) {
            BoundedWriter buffer = new BoundedWriter(new StringWriter(), budget.maxStringLength(), reference);
            try {
                block.render(internal, buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toString();
        }
        return budget.checkLength(value.toString(), reference, where);
    }
}
