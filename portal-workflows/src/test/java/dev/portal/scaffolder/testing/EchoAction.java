package dev.portal.scaffolder.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionException;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test action: echoes its text, counts its executions, and fails technically (while
 * {@link #failing} is set) or with a business error (for the text "reject") on request.
 */
public final class EchoAction implements ScaffolderAction<EchoAction.Input, EchoAction.Output> {

    public record Input(String text) {
    }

    public record Output(String echoed) {
    }

    public final AtomicInteger executions = new AtomicInteger();
    public volatile boolean failing;

    @Override
    public String id() {
        return "test.echo";
    }

    @Override
    public String description() {
        return "Echoes its input.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return ActionSchemas.parse("""
                {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "description": "what to echo"}}}""");
    }

    @Override
    public ObjectNode outputSchema() {
        return ActionSchemas.parse("""
                {"type": "object", "properties": {"echoed": {"type": "string"}}}""");
    }

    @Override
    public Output execute(Input input, ActionContext context) {
        executions.incrementAndGet();
        context.log().info("echoing " + input.text());
        if (failing) {
            throw new IllegalStateException("the echo service is down");
        }
        if ("reject".equals(input.text())) {
            throw new ActionException("test.rejected", "echo refuses to say reject");
        }
        return new Output(input.text());
    }
}
