package dev.portal.scaffolder.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test action as slow as a git host that hangs: each execution waits until the test opens the
 * gate (at most a minute). Counts executions, those running now and the most that ever ran at once.
 * A stubborn one is stuck in a call that does not answer to interrupts: it counts them and waits on.
 */
public final class SlowAction implements ScaffolderAction<SlowAction.Input, SlowAction.Output> {

    public record Input(String text) {
    }

    public record Output(String slow) {
    }

    public final AtomicInteger executions = new AtomicInteger();
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger peak = new AtomicInteger();
    public final AtomicInteger interrupts = new AtomicInteger();
    private final String id;
    private final boolean stubborn;
    private volatile CountDownLatch gate = new CountDownLatch(1);

    /** {@code test.slow}, which stops waiting when interrupted. */
    public SlowAction() {
        this("test.slow", false);
    }

    /** An action {@code id} that waits; a {@code stubborn} one waits on through interrupts. */
    public SlowAction(String id, boolean stubborn) {
        this.id = id;
        this.stubborn = stubborn;
    }

    /** Lets every waiting and later execution finish. */
    public void open() {
        gate.countDown();
    }

    /** Makes later executions wait again. */
    public void close() {
        gate = new CountDownLatch(1);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return "Waits until the test lets it finish.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return ActionSchemas.parse("""
                {"type": "object", "properties": {"text": {"type": "string", "description": "anything"}}}""");
    }

    @Override
    public ObjectNode outputSchema() {
        return ActionSchemas.parse("""
                {"type": "object", "properties": {"slow": {"type": "string"}}}""");
    }

    @Override
    public Output execute(Input input, ActionContext context) throws InterruptedException {
        executions.incrementAndGet();
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            context.log().info("waiting for the slow service");
            CountDownLatch waitingOn = gate;
            while (true) {
                try {
                    if (!waitingOn.await(1, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the test never let the slow action finish");
                    }
                    return new Output("done");
                } catch (InterruptedException e) {
                    if (!stubborn) {
                        throw e;
                    }
                    interrupts.incrementAndGet();
                }
            }
        } finally {
            running.decrementAndGet();
        }
    }
}
