package dev.portal.catalog.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.error.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DescriptorYamlTests {

    private static final DescriptorParser CATALOG = new DescriptorParser(ParserLimits.defaults());

    @Test
    void readsPlainScalarsAsTheCatalogDoesByTheYaml12CoreSchema() {
        ObjectNode document = DescriptorYaml.read("catalog-info.yaml", """
                metadata:
                  labels:
                    tier: yes
                    region: on
                    since: 2024-01-01
                    count: 1_000
                    octal: 0o17
                """).getFirst();

        assertThat(document.path("metadata").path("labels").path("tier").isTextual()).isTrue();
        assertThat(document.path("metadata").path("labels").path("tier").asText()).isEqualTo("yes");
        assertThat(document.path("metadata").path("labels").path("region").asText()).isEqualTo("on");
        assertThat(document.path("metadata").path("labels").path("since").asText()).isEqualTo("2024-01-01");
        assertThat(document.path("metadata").path("labels").path("count").asText()).isEqualTo("1_000");
        assertThat(document.path("metadata").path("labels").path("octal").asInt()).isEqualTo(15);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "off", "y", "n", "Yes", "TRUE", "false", "null", "~", "", "010", "0o17",
            "0x1F", "1_000", "12:30", "1e3", ".5", "+1", "2024-01-01", "2024-01-01T10:00:00Z", "<<", "=", ".inf", "1.10"})
    void writesAStringEveryReaderReadsAsThatString(String value) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.putObject("metadata").put("name", "a").putObject("labels").put("tier", value).put(value, "key");

        String yaml = DescriptorYaml.write(List.of(document));

        ObjectNode readByTheCatalog = ((ParsedDocument.Parsed) CATALOG.parse("catalog-info.yaml",
                yaml.getBytes(StandardCharsets.UTF_8)).getFirst()).json();
        assertThat(readByTheCatalog.path("metadata").path("labels").path("tier").isTextual()).as(yaml).isTrue();
        assertThat(readByTheCatalog.path("metadata").path("labels").path("tier").asText()).as(yaml).isEqualTo(value);
        assertThat(readByTheCatalog.path("metadata").path("labels").path(value).asText()).as(yaml).isEqualTo("key");
        Object readByYaml11 = new org.yaml.snakeyaml.Yaml().load(yaml);
        assertThat(((java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) readByYaml11).get("metadata"))
                .get("labels")).get("tier")).as("a YAML 1.1 reader: " + yaml).isEqualTo(value);
    }

    @Test
    void keepsNumbersBooleansAndKeyOrder() {
        String yaml = """
                kind: Component
                metadata:
                  name: a
                spec:
                  replicas: 3
                  ratio: 1.5
                  public: true
                """;

        assertThat(DescriptorYaml.write(DescriptorYaml.read("catalog-info.yaml", yaml))).isEqualTo(yaml);
    }

    @Test
    void refusesWhatTheCatalogWouldNotReadNamingThePosition() {
        assertThatThrownBy(() -> DescriptorYaml.read("catalog-info.yaml", "metadata: [unclosed\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("not valid YAML: ")
                .hasMessageContaining("document 1");
        assertThatThrownBy(() -> DescriptorYaml.read("catalog-info.yaml", "a: !!java.lang.Runtime x\n"))
                .isInstanceOf(InvalidInputException.class);
    }
}
