package dev.portal.scaffolder.render;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What is left of the limits while one text renders. Velocity creates the sandbox's uberspector,
 * directives and event handlers itself, by class name, and shares them between renders, so the
 * one render going on on this thread is where they find their budget.
 */
final class RenderBudget {

    private static final ThreadLocal<RenderBudget> CURRENT = new ThreadLocal<>();

    private final RenderLimits limits;
    private final String template;
    private final long deadline;
    private final Deque<long[]> loops = new ArrayDeque<>();
    private long iterations;
    private int sinceClockRead;

    private RenderBudget(RenderLimits limits, String template) {
        this.limits = limits;
        this.template = template;
        this.deadline = System.nanoTime() + limits.maxRenderTimePerFile().toNanos();
    }

    interface Render<T> {
        T run();
    }

    static <T> T during(RenderLimits limits, String template, Render<T> render) {
        RenderBudget previous = CURRENT.get();
        CURRENT.set(new RenderBudget(limits, template));
        try {
            return render.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The budget of the render on this thread; sandbox parts used outside a render refuse to work. */
    static RenderBudget current() {
        RenderBudget budget = CURRENT.get();
        if (budget == null) {
            throw new TemplateRenderException("sandboxed templates render only through SandboxedVelocity");
        }
        return budget;
    }

    /** The name of what is rendering: a skeleton file, or a path. */
    String template() {
        return template;
    }

    long maxStringLength() {
        return limits.maxFileBytes();
    }

    void enterLoop() {
        loops.push(new long[1]);
    }

    void exitLoop() {
        loops.pop();
    }

    /** One more run of a {@code #foreach} body. */
    void iteration(String where) {
        long[] loop = loops.peek();
        if (loop != null && ++loop[0] > limits.maxLoopIterations()) {
            throw new TemplateRenderException("#foreach ran more than " + limits.maxLoopIterations()
                    + " times (RenderLimits.maxLoopIterations) at " + where);
        }
        if (++iterations > limits.maxIterationsPerFile()) {
            throw new TemplateRenderException("loops ran more than " + limits.maxIterationsPerFile()
                    + " times in all (RenderLimits.maxIterationsPerFile) at " + where);
        }
        checkTime(where);
    }

    /** Refuses to go on once the render has taken longer than allowed. */
    void checkTime(String where) {
        // The clock is cheap but not free; every check site runs often when a template misbehaves.
        if (++sinceClockRead < 64) {
            return;
        }
        sinceClockRead = 0;
        checkTimeNow(where);
    }

    void checkTimeNow(String where) {
        if (System.nanoTime() - deadline > 0) {
            throw new TemplateRenderException("rendering " + template + " took longer than "
                    + limits.maxRenderTimePerFile().toMillis() + " ms (RenderLimits.maxRenderTimePerFile) at " + where);
        }
    }

    /** Refuses a string a template built that is longer than a file may be. */
    <T extends CharSequence> T checkLength(T text, String what, String where) {
        if (text.length() > limits.maxFileBytes()) {
            throw new TemplateRenderException(what + " would be " + text.length() + " characters, more than the "
                    + limits.maxFileBytes() + " a file may have (RenderLimits.maxFileBytes) at " + where);
        }
        return text;
    }
}
