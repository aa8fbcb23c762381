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
 */
public final class SlowAction implements ScaffolderAction<SlowAction.Input, SlowAction.Output> {

    public record Input(String text) {
    }

    public record Output(String slow) {
    }

    public final AtomicInteger executions = new AtomicInteger();
    public final AtomicInteger running = new AtomicInteger();
    public final AtomicInteger peak = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(1);

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
        return "test.slow";
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
            if (!gate.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the test never let the slow action finish");
            }
            return new Output("done");
        } finally {
            running.decrementAndGet();
        }
    }
}
