package dev.portal.scaffolder.action.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.scaffolder.action.ActionContext;
import dev.portal.scaffolder.action.ActionSchemas;
import dev.portal.scaffolder.action.ScaffolderAction;

/** {@code portal.log}: writes a message to the run's event log. */
public final class LogAction implements ScaffolderAction<LogAction.Input, Void> {

    /** @param message the line to write; @param level {@code info} (default) or {@code warn} */
    public record Input(String message, String level) {
    }

    private static final ObjectNode INPUT = ActionSchemas.parse("""
            {"type": "object", "required": ["message"], "additionalProperties": true,
             "properties": {
               "message": {"type": "string", "minLength": 1, "maxLength": 10000,
                           "description": "The line to write to the run's event log."},
               "level": {"type": "string", "enum": ["info", "warn"], "default": "info",
                         "description": "info or warn."}
             }}""");

    private static final ObjectNode OUTPUT = ActionSchemas.parse("""
            {"type": "object", "properties": {}}""");

    @Override
    public String id() {
        return "portal.log";
    }

    @Override
    public String description() {
        return "Writes a message to the run's event log.";
    }

    @Override
    public Class<Input> inputType() {
        return Input.class;
    }

    @Override
    public ObjectNode inputSchema() {
        return INPUT.deepCopy();
    }

    @Override
    public ObjectNode outputSchema() {
        return OUTPUT.deepCopy();
    }

    @Override
    public boolean supportsDryRun() {
        return true;
    }

    @Override
    public Void execute(Input input, ActionContext context) {
        if ("warn".equals(input.level())) {
            context.log().warn(input.message());
        } else {
            context.log().info(input.message());
        }
        return null;
    }
}
