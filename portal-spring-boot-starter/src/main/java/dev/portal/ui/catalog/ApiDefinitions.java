package dev.portal.ui.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An API entity's definition as its page shows it: for OpenAPI (3, or Swagger 2), the operations,
 * read with the swagger parser that OpenAPI Generator brings; for other types, the text alone. The
 * parser never follows {@code $ref}s to other files or URLs: a definition in the catalog must not
 * make the portal read anything.
 */
final class ApiDefinitions {

    static final int MAX_OPERATIONS = 500;

    private ApiDefinitions() {
    }

    static EntityDetailPage.ApiView of(JsonNode spec) {
        String type = spec.path("type").asText("");
        JsonNode definitionNode = spec.path("definition");
        String definition = definitionNode.isTextual() ? definitionNode.asText()
                : definitionNode.isMissingNode() ? "" : definitionNode.toPrettyString();
        if (!type.equalsIgnoreCase("openapi") || definition.isBlank()) {
            return new EntityDetailPage.ApiView(type, List.of(), null, definition);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        options.setResolveFully(false);
        SwaggerParseResult result;
        try {
            result = new OpenAPIParser().readContents(definition, null, options);
        } catch (RuntimeException e) {
            return new EntityDetailPage.ApiView(type, List.of(), "The definition could not be read as OpenAPI.", definition);
        }
        OpenAPI openApi = result == null ? null : result.getOpenAPI();
        if (openApi == null) {
            List<String> messages = result == null || result.getMessages() == null ? List.of() : result.getMessages();
            return new EntityDetailPage.ApiView(type, List.of(), "The definition could not be read as OpenAPI"
                    + (messages.isEmpty() ? "." : ": " + messages.getFirst()), definition);
        }
        List<EntityDetailPage.Operation> operations = new ArrayList<>();
        if (openApi.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
                if (path.getValue() == null || path.getValue().readOperationsMap() == null) {
                    continue;
                }
                for (Map.Entry<PathItem.HttpMethod, Operation> operation
                        : path.getValue().readOperationsMap().entrySet()) {
                    if (operations.size() < MAX_OPERATIONS) {
                        operations.add(new EntityDetailPage.Operation(operation.getKey().name().toUpperCase(Locale.ROOT),
                                path.getKey(), summary(operation.getValue())));
                    }
                }
            }
        }
        return new EntityDetailPage.ApiView(type, operations, null, definition);
    }

    private static String summary(Operation operation) {
        if (operation.getSummary() != null && !operation.getSummary().isBlank()) {
            return operation.getSummary();
        }
        if (operation.getOperationId() != null) {
            return operation.getOperationId();
        }
        return "";
    }
}
