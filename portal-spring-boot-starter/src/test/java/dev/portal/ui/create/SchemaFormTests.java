package dev.portal.ui.create;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaFormTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SchemaForm.Catalog NO_CATALOG = new SchemaForm.Catalog() {
        @Override
        public List<FormField.Option> entities(JsonNode options, JsonNode defaultFilter) {
            return List.of(new FormField.Option("component:default/ledger", "Ledger", false));
        }

        @Override
        public List<FormField.Option> myGroups() {
            return List.of(new FormField.Option("group:default/payments", "payments", false));
        }
    };

    private static JsonNode schema(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void readsEachFieldAsItsSchemaTypeAndLeavesEmptyOnesOut() throws Exception {
        JsonNode page = schema("""
                {"properties": {"name": {"type": "string"}, "count": {"type": "integer"}, "ratio": {"type": "number"},
                 "on": {"type": "boolean"}, "tags": {"type": "array", "items": {"type": "string"}},
                 "features": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                 "db": {"type": "object", "properties": {"port": {"type": "integer"}}}, "empty": {"type": "string"}}}""");
        ObjectNode values = SchemaForm.read(page, Map.of(
                "_field", List.of("name", "count", "ratio", "on", "tags", "features", "db.port", "empty"),
                "v.name", List.of("  shop "), "v.count", List.of("3"), "v.ratio", List.of("0.5"),
                "v.tags", List.of("x", "", "y"), "v.features", List.of("b"), "v.db.port", List.of("5432"),
                "v.empty", List.of("")), JSON.createObjectNode());

        assertThat(values.toString()).isEqualTo(
                "{\"name\":\"shop\",\"count\":3,\"ratio\":0.5,\"on\":false,\"tags\":[\"x\",\"y\"],\"features\":[\"b\"],\"db\":{\"port\":5432}}");
    }

    @Test
    void keepsTextThatIsNotANumberSoTheValidatorCanNameIt() throws Exception {
        JsonNode page = schema("{\"properties\": {\"count\": {\"type\": \"integer\"}}}");
        ObjectNode values = SchemaForm.read(page, Map.of("_field", List.of("count"), "v.count", List.of("many")),
                JSON.createObjectNode());
        assertThat(values.get("count").asText()).isEqualTo("many");
    }

    @Test
    void conditionsSwitchFieldsOnAndOffAndValuesOfHiddenOnesGo() throws Exception {
        JsonNode page = schema("""
                {"properties": {"kind": {"type": "string", "enum": ["service", "library"]}},
                 "if": {"properties": {"kind": {"const": "service"}}},
                 "then": {"properties": {"port": {"type": "integer"}}, "required": ["port"]},
                 "else": {"properties": {"packageName": {"type": "string"}}}}""");
        assertThat(SchemaForm.layout(page, schema("{\"kind\": \"service\"}")).properties()).containsOnlyKeys("kind", "port");
        assertThat(SchemaForm.layout(page, schema("{\"kind\": \"service\"}")).required()).containsExactly("port");
        assertThat(SchemaForm.layout(page, schema("{\"kind\": \"library\"}")).properties()).containsOnlyKeys("kind", "packageName");

        ObjectNode values = (ObjectNode) schema("{\"kind\": \"service\", \"port\": 8080}");
        SchemaForm.read(page, Map.of("_field", List.of("kind"), "v.kind", List.of("library")), values);
        assertThat(values.toString()).isEqualTo("{\"kind\":\"library\"}");
    }

    @Test
    void dependencyBranchesFollowTheValueTheyDependOn() throws Exception {
        JsonNode page = schema("""
                {"properties": {"queue": {"type": "boolean"}},
                 "dependencies": {"queue": {"oneOf": [
                   {"properties": {"queue": {"const": true}, "queueName": {"type": "string"}}, "required": ["queueName"]},
                   {"properties": {"queue": {"const": false}}}]}}}""");
        assertThat(SchemaForm.layout(page, schema("{\"queue\": true}")).properties()).containsOnlyKeys("queue", "queueName");
        assertThat(SchemaForm.layout(page, schema("{\"queue\": false}")).properties()).containsOnlyKeys("queue");
        assertThat(SchemaForm.allProperties(page)).containsExactlyInAnyOrder("queue", "queueName");
    }

    @Test
    void everyKindOfSecretIsAPasswordInputKeptAsTyped() throws Exception {
        JsonNode page = schema("""
                {"properties": {"a": {"type": "string", "ui:widget": "password"}, "b": {"type": "string", "ui:field": "Secret"},
                 "c": {"type": "string", "format": "password"}, "d": {"ui:field": "Secret"}}}""");

        List<FormField> fields = SchemaForm.fields(page, JSON.createObjectNode(), Map.of(), NO_CATALOG);

        assertThat(fields).extracting(FormField::widget).containsOnly("input");
        assertThat(fields).extracting(FormField::inputType).containsOnly("password");
        assertThat(fields).allSatisfy(field -> assertThat(field.unsupported()).isEmpty());
        ObjectNode values = SchemaForm.read(page, Map.of("_field", List.of("a", "b", "c", "d"),
                "v.a", List.of(" x "), "v.b", List.of(" y "), "v.c", List.of(" z "), "v.d", List.of(" w ")), JSON.createObjectNode());
        assertThat(values.toString()).isEqualTo("{\"a\":\" x \",\"b\":\" y \",\"c\":\" z \",\"d\":\" w \"}");
    }

    @Test
    void namesWhatItCannotDrawAndFallsBackToJson() throws Exception {
        JsonNode page = schema("""
                {"properties": {"either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                 "items": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}}},
                 "colour": {"type": "string", "ui:widget": "colorpicker"}}}""");
        List<FormField> fields = SchemaForm.fields(page, JSON.createObjectNode(), Map.of(), NO_CATALOG);

        assertThat(fields).extracting(FormField::widget).containsExactly("json", "json", "input");
        assertThat(fields.get(0).unsupported()).containsExactly("anyOf");
        assertThat(fields.get(2).unsupported()).containsExactly("ui:widget: colorpicker");
        ObjectNode values = SchemaForm.read(page, Map.of("_field", List.of("items"), "v.items", List.of("[{\"a\": \"x\"}]")),
                JSON.createObjectNode());
        assertThat(values.toString()).isEqualTo("{\"items\":[{\"a\":\"x\"}]}");
    }

    @Test
    void pickersListTheCatalogsEntitiesAndCheckTheirRules() throws Exception {
        JsonNode page = schema("""
                {"properties": {"dep": {"type": "string", "ui:field": "EntityPicker", "ui:options": {"allowArbitraryValues": false}},
                 "name": {"type": "string", "ui:field": "EntityNamePicker"}}}""");
        List<FormField> fields = SchemaForm.fields(page, schema("{\"dep\": \"component:default/ledger\"}"), Map.of(), NO_CATALOG);
        assertThat(fields.get(0).widget()).isEqualTo("select");
        assertThat(fields.get(0).options()).extracting(FormField.Option::selected).containsExactly(true);

        assertThat(SchemaForm.pickerProblems(page, schema("{\"dep\": \"component:default/other\", \"name\": \"-x\"}"), NO_CATALOG))
                .containsOnlyKeys("dep", "name");
        assertThat(SchemaForm.pickerProblems(page, schema("{\"dep\": \"component:default/ledger\", \"name\": \"shop-2\"}"), NO_CATALOG))
                .isEmpty();
    }

    @Test
    void saysTheValidatorsProblemsInWordsForPeople() {
        assertThat(SchemaForm.byField(List.of("values.name: does not match the regex pattern ^[a-z]+$",
                "values.db.port: string found, integer expected", "values: must have at most 3 properties")))
                .containsExactly(Map.entry("name", List.of("must match the pattern ^[a-z]+$")),
                        Map.entry("db.port", List.of("must be a whole number (got string)")),
                        Map.entry("", List.of("must have at most 3 properties")));
        assertThat(SchemaForm.humanize("javaPackage")).isEqualTo("Java package");
    }
}
