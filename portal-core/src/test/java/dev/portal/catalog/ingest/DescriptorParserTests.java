package dev.portal.catalog.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portal.catalog.ingest.ParsedDocument.Failed;
import dev.portal.catalog.ingest.ParsedDocument.Parsed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DescriptorParserTests {

    private final DescriptorParser parser = new DescriptorParser(ParserLimits.defaults());

    @Test
    void readsEveryDocumentOfAMultiDocumentFileNumberedByPosition() {
        List<ParsedDocument> documents = parser.parse("three-components.yaml", fixture("three-components.yaml"));

        assertThat(documents).allSatisfy(document -> assertThat(document).isInstanceOf(Parsed.class));
        assertThat(documents).extracting(ParsedDocument::index).containsExactly(1, 2, 4);
        assertThat(documents).extracting(document -> ((Parsed) document).json().at("/metadata/name").asText())
                .containsExactly("artist-web", "artist-api", "artist-relations");
        assertThat(((Parsed) documents.get(1)).json().at("/spec/definition").asText()).isEqualTo("openapi: 3.0.0\n");
    }

    @Test
    void reportsASyntaxErrorForItsDocumentAndKeepsTheOthers() {
        List<ParsedDocument> documents = parser.parse("broken.yaml", fixture("broken-second-document.yaml"));

        assertThat(documents).hasSize(3);
        assertThat(documents.get(0)).isInstanceOf(Parsed.class);
        assertThat(documents.get(1)).isInstanceOfSatisfying(Failed.class, failed -> {
            assertThat(failed.index()).isEqualTo(2);
            assertThat(failed.subject()).isEqualTo("broken.yaml, document 2");
            assertThat(failed.message()).startsWith("document 2, line 14, column 1:");
        });
        assertThat(documents.get(2)).isInstanceOfSatisfying(Parsed.class,
                parsed -> assertThat(parsed.json().at("/metadata/name").asText()).isEqualTo("third"));
    }

    @Test
    void splitsDocumentsWhateverLineBreaksTheFileUses() {
        // Windows (CR LF), old Mac (CR) and Unix (LF) line breaks, mixed in one stream; the second
        // document is broken (a list never closed), which its error reports at the end of that document: line 8.
        String text = "kind: Component\r\nmetadata:\r\n  name: crlf\r\n---\r"
                + "kind: Component\rmetadata:\r  name: [unclosed\r--- # a comment after the marker\n"
                + "kind: Component\nmetadata:\n  name: lf\n...\n";

        List<ParsedDocument> documents = parser.parse("line-breaks.yaml", text.getBytes(StandardCharsets.UTF_8));

        assertThat(documents).hasSize(3);
        assertThat(((Parsed) documents.get(0)).json().at("/metadata/name").asText()).isEqualTo("crlf");
        assertThat(documents.get(1)).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).startsWith("document 2, line 8, column 1:"));
        assertThat(((Parsed) documents.get(2)).json().at("/metadata/name").asText()).isEqualTo("lf");
        assertThat(DescriptorParser.lines("a\r\n\r\nb\rc\n\rd\n"))
                .containsExactly("a\r\n\r\nb\rc\n\rd\n".split("\r\n|\r|\n", -1));
    }

    @Test
    void reportsDocumentsThatAreNotMappings() {
        List<ParsedDocument> documents = parser.parse("mixed.yaml", fixture("mixed-documents.yaml"));

        assertThat(documents.get(0)).isInstanceOf(Parsed.class);
        assertThat(documents.get(1)).isEqualTo(new Failed("mixed.yaml", 2,
                "document 2 is a list; an entity must be a mapping with apiVersion, kind, metadata"));
        assertThat(documents.get(2)).isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).isEqualTo("document 3 is a single value (a string);"
                        + " an entity must be a mapping with apiVersion, kind, metadata"));
    }

    @Test
    void keepsDatesAndYaml11BooleansAsStrings() {
        Parsed parsed = (Parsed) parser.parse("scalars.yaml", fixture("scalars.yaml")).getFirst();

        assertThat(parsed.json().at("/metadata/annotations/example.com~1released").isTextual()).isTrue();
        assertThat(parsed.json().at("/metadata/annotations/example.com~1released").asText()).isEqualTo("2024-01-01");
        assertThat(parsed.json().at("/metadata/annotations/example.com~1timestamp").asText())
                .isEqualTo("2001-12-14t21:59:43.10-05:00");
        assertThat(parsed.json().at("/metadata/annotations/example.com~1answer").asText()).isEqualTo("yes");
        assertThat(parsed.json().at("/metadata/annotations/example.com~1switch").asText()).isEqualTo("on");
    }

    @Test
    void readsNumbersBooleansAndNullsByTheYaml12CoreSchema() {
        Parsed parsed = (Parsed) parser.parse("scalars.yaml", fixture("scalars.yaml")).getFirst();

        assertThat(parsed.json().at("/spec/replicas").isInt()).isTrue();
        assertThat(parsed.json().at("/spec/replicas").asInt()).isEqualTo(10);
        assertThat(parsed.json().at("/spec/ratio").asDouble()).isEqualTo(0.5);
        assertThat(parsed.json().at("/spec/enabled").isBoolean()).isTrue();
        assertThat(parsed.json().at("/spec/nothing").isNull()).isTrue();
        assertThat(parsed.json().at("/spec/hex").asInt()).isEqualTo(31);
    }

    @Test
    void readsEveryPlainScalarForm() {
        String yaml = """
                nulls: [~, null, Null, NULL]
                empty:
                booleans: [true, True, TRUE, false, False, FALSE]
                integers: [0, 7, -1, +12, 0o17, 0x1F]
                floats: [.5, -.5, +1.5e3, 1., 1e3, 2.5E-1]
                strings: [nil, none, tru, yes, x1, .inf, .nan, -, +, ., 0b1, 1_000, e3, team-a, -a, +b, .c]
                """;

        Parsed parsed = (Parsed) parser.parse("scalars.yaml", yaml.getBytes(StandardCharsets.UTF_8)).getFirst();

        assertThat(parsed.json().get("nulls")).hasSize(4).allSatisfy(value -> assertThat(value.isNull()).isTrue());
        assertThat(parsed.json().get("empty").isNull()).isTrue();
        assertThat(parsed.json().get("booleans")).extracting(JsonNode::isBoolean).containsOnly(true);
        assertThat(parsed.json().get("booleans")).extracting(JsonNode::asBoolean)
                .containsExactly(true, true, true, false, false, false);
        assertThat(parsed.json().get("integers")).extracting(JsonNode::isIntegralNumber).containsOnly(true);
        assertThat(parsed.json().get("integers")).extracting(JsonNode::asInt).containsExactly(0, 7, -1, 12, 15, 31);
        assertThat(parsed.json().get("floats")).extracting(JsonNode::isFloatingPointNumber).containsOnly(true);
        assertThat(parsed.json().get("floats")).extracting(JsonNode::asDouble)
                .containsExactly(0.5, -0.5, 1500.0, 1.0, 1000.0, 0.25);
        assertThat(parsed.json().get("strings")).extracting(JsonNode::isTextual).containsOnly(true);
        assertThat(parsed.json().get("strings")).extracting(JsonNode::asText).containsExactly(
                "nil", "none", "tru", "yes", "x1", ".inf", ".nan", "-", "+", ".", "0b1", "1_000", "e3", "team-a",
                "-a", "+b", ".c");
    }

    @Test
    void rejectsJavaTagsWithoutConstructingAnything() {
        List<ParsedDocument> documents = parser.parse("java-tag.yaml", fixture("java-tag.yaml"));

        assertThat(documents).singleElement().isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).startsWith("document 1, line 6, column 10:")
                        .contains("javax.script.ScriptEngineManager"));
    }

    @Test
    void rejectsLocalTags() {
        List<ParsedDocument> documents = parser.parse("local-tag.yaml", fixture("local-tag.yaml"));

        assertThat(documents).singleElement().isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).contains("!vault").contains("line 6"));
    }

    @Test
    void acceptsExplicitStandardTags() {
        byte[] yaml = "kind: !!str 123\ncount: !!int '7'\n".getBytes(StandardCharsets.UTF_8);

        Parsed parsed = (Parsed) parser.parse("explicit.yaml", yaml).getFirst();

        assertThat(parsed.json().get("kind").asText()).isEqualTo("123");
        assertThat(parsed.json().get("count").asInt()).isEqualTo(7);
    }

    @Test
    void rejectsDuplicateKeys() {
        List<ParsedDocument> documents = parser.parse("duplicate-key.yaml", fixture("duplicate-key.yaml"));

        assertThat(documents).singleElement().isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).isEqualTo("document 1, line 5, column 3: duplicate key 'name'"));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void rejectsABillionLaughsBombQuicklyAndNamesTheLimit() {
        assertThatThrownBy(() -> parser.parse("lol.yaml", fixture("billion-laughs.yaml")))
                .isInstanceOf(DescriptorException.class)
                .hasMessageStartingWith("lol.yaml uses more than 20 aliases to collections")
                .hasMessageContaining("ParserLimits.maxAliases");
    }

    @Test
    void rejectsAliasExpansionBeyondTheValueBudgetEvenUnderTheAliasLimit() {
        // 8 aliases, each doubling the previous list: 2^8 * 1,000 values from a few kilobytes.
        StringBuilder yaml = new StringBuilder("a0: &a0 [" + "x,".repeat(999) + "x]\n");
        for (int i = 1; i <= 8; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        DescriptorParser strict = new DescriptorParser(ParserLimits.defaults().withMaxNodes(100_000));

        assertThatThrownBy(() -> strict.parse("wide.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("more than 100000 values")
                .hasMessageContaining("ParserLimits.maxNodes");
    }

    @Test
    void rejectsAnAliasToACollectionThatContainsIt() {
        byte[] yaml = "kind: &loop [a, *loop]\n".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse("loop.yaml", yaml)).singleElement().isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).contains("refers to a collection that contains it"));
    }

    @Test
    void acceptsAFewAliases() {
        byte[] yaml = "common: &labels {team: a}\nmetadata:\n  labels: *labels\n".getBytes(StandardCharsets.UTF_8);

        Parsed parsed = (Parsed) parser.parse("aliases.yaml", yaml).getFirst();

        assertThat(parsed.json().at("/metadata/labels/team").asText()).isEqualTo("a");
    }

    @Test
    void rejectsASourceLargerThanTheLimitAndNamesIt() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) 'a');

        assertThatThrownBy(() -> parser.parse("catalog-info.yaml", tenMegabytes))
                .isInstanceOf(DescriptorException.class)
                .hasMessage("catalog-info.yaml is 10485760 bytes; descriptors are limited to 2097152 bytes (ParserLimits.maxBytes)");
    }

    @Test
    void honoursAConfiguredSizeLimit() {
        byte[] yaml = "kind: Component\n".getBytes(StandardCharsets.UTF_8);

        assertThat(new DescriptorParser(ParserLimits.defaults().withMaxBytes(yaml.length)).parse("a.yaml", yaml)).hasSize(1);
        assertThatThrownBy(() -> new DescriptorParser(ParserLimits.defaults().withMaxBytes(yaml.length - 1)).parse("a.yaml", yaml))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("limited to " + (yaml.length - 1) + " bytes");
    }

    @Test
    void rejectsDeepBlockNesting() {
        StringBuilder yaml = new StringBuilder();
        for (int depth = 0; depth < 200; depth++) {
            yaml.append("  ".repeat(depth)).append("k:\n");
        }

        assertThatThrownBy(() -> parser.parse("deep.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DescriptorException.class)
                .hasMessage("deep.yaml nests collections more than 64 levels deep; descriptors are limited to 64 levels (ParserLimits.maxDepth)");
    }

    @Test
    void rejectsDeepFlowNestingWithoutOverflowingTheStack() {
        byte[] yaml = ("k: " + "[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.parse("deep.yaml", yaml))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("ParserLimits.maxDepth");
    }

    @Test
    void acceptsNestingWithinTheLimit() {
        byte[] yaml = ("k: " + "[".repeat(30) + "]".repeat(30)).getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse("nested.yaml", yaml)).singleElement().isInstanceOf(Parsed.class);
    }

    @Test
    void rejectsMoreDocumentsThanTheLimit() {
        DescriptorParser strict = new DescriptorParser(ParserLimits.defaults().withMaxDocuments(3));
        byte[] yaml = "a: 1\n---\na: 2\n---\na: 3\n---\na: 4\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> strict.parse("many.yaml", yaml))
                .isInstanceOf(DescriptorException.class)
                .hasMessage("many.yaml has more than 3 documents; descriptors are limited to 3 documents per source (ParserLimits.maxDocuments)");
    }

    @Test
    void rejectsTheDefaultDocumentLimitOf10000() {
        byte[] yaml = "---\na: 1\n".repeat(10_001).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.parse("many.yaml", yaml))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("more than 10000 documents");
    }

    @Test
    void readsDocumentsSeparatedByDocumentEndMarkersAndDirectives() {
        byte[] yaml = "%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n---\na: 2\n".getBytes(StandardCharsets.UTF_8);

        List<ParsedDocument> documents = parser.parse("markers.yaml", yaml);

        assertThat(documents).extracting(document -> ((Parsed) document).json().get("a").asInt()).containsExactly(1, 2);
        assertThat(documents).extracting(ParsedDocument::index).containsExactly(1, 2);
    }

    @Test
    void readsPlainJsonIndentedWithTabs() {
        List<ParsedDocument> documents = parser.parse("entity.json", fixture("entity.json"));

        assertThat(documents).singleElement().isInstanceOfSatisfying(Parsed.class, parsed -> {
            assertThat(parsed.index()).isEqualTo(1);
            assertThat(parsed.json().at("/metadata/name").asText()).isEqualTo("from-json");
        });
    }

    @Test
    void reportsJsonSyntaxErrorsWithLineAndColumn() {
        byte[] json = "{\n  \"kind\": \"Component\",\n  \"metadata\": \n}".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse("bad.json", json)).singleElement().isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).startsWith("document 1, line 4, column 1:"));
    }

    @Test
    void rejectsDuplicateKeysInJson() {
        byte[] json = "{\"kind\": \"a\", \"kind\": \"b\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse("dup.json", json)).singleElement().isInstanceOfSatisfying(Failed.class,
                failed -> assertThat(failed.message()).contains("Duplicate field 'kind'"));
    }

    @Test
    void rejectsDeepJsonNesting() {
        byte[] json = ("{\"k\": " + "[".repeat(1_000) + "]".repeat(1_000) + "}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.parse("deep.json", json))
                .isInstanceOf(DescriptorException.class)
                .hasMessageContaining("ParserLimits.maxDepth");
    }

    @Test
    void skipsAnEmptySource() {
        assertThat(parser.parse("empty.yaml", "# nothing here\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void readsUtf16WithAByteOrderMark() {
        byte[] yaml = "kind: Größe\n".getBytes(StandardCharsets.UTF_16);

        Parsed parsed = (Parsed) parser.parse("utf16.yaml", yaml).getFirst();

        assertThat(parsed.json().get("kind").asText()).isEqualTo("Größe");
    }

    // --- expanded size: aliases to scalars are free for maxAliases, their text is not

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void countsTheTextOfAScalarAliasEveryTimeItIsUsed() {
        // a 64 KiB anchor used 64 times: a 64 KiB file that would be a 4 MiB entity
        StringBuilder yaml = new StringBuilder("apiVersion: backstage.io/v1alpha1\nkind: Component\n")
                .append("metadata:\n  name: bomb\n  description: &big ").append("x".repeat(64 * 1024)).append('\n')
                .append("spec:\n  copies:\n");
        for (int i = 0; i < 64; i++) {
            yaml.append("    - *big\n");
        }

        assertThatThrownBy(() -> parser.parse("bomb.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DescriptorException.class)
                .hasMessageStartingWith("bomb.yaml expands to more than 2097152 characters of keys and values")
                .hasMessageContaining("ParserLimits.maxBytes");
    }

    @Test
    void countsTheTextOfAliasedCollectionsToo() {
        DescriptorParser small = new DescriptorParser(ParserLimits.defaults().withMaxBytes(2_000));
        String yaml = "a: &x {k: " + "v".repeat(300) + "}\nb: [*x, *x, *x, *x, *x, *x]\n";

        assertThatThrownBy(() -> small.parse("x.yaml", yaml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DescriptorException.class).hasMessageContaining("characters of keys and values");
    }

    @Test
    void acceptsAliasesWhoseExpandedTextStaysUnderTheLimit() {
        String yaml = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: &n svc\n"
                + "  title: *n\n  description: *n\n";

        assertThat(parser.parse("ok.yaml", yaml.getBytes(StandardCharsets.UTF_8))).singleElement()
                .isInstanceOfSatisfying(Parsed.class, parsed -> assertThat(parsed.json().at("/metadata/title").asText())
                        .isEqualTo("svc"));
    }

    @Test
    void aSourceWithoutAliasesNeverBreaksTheTextLimit() {
        byte[] yaml = ("a: " + "é".repeat(1_000) + "\n").getBytes(StandardCharsets.UTF_8);

        assertThat(new DescriptorParser(ParserLimits.defaults().withMaxBytes(yaml.length)).parse("a.yaml", yaml)).hasSize(1);
    }

    // --- messages name the document, the position and the rule, never the source's text

    @Test
    void aFileThatIsNoDescriptorIsNotEchoed() {
        byte[] passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse("/etc/passwd", passwd)).singleElement().isInstanceOfSatisfying(Failed.class, failed ->
                assertThat(failed.message()).isEqualTo("document 1 is a single value (a string);"
                        + " an entity must be a mapping with apiVersion, kind, metadata"));
    }

    @Test
    void syntaxErrorsDoNotQuoteTheSource() {
        for (String chunk : List.of("a: *secret-alias-name\n", "b: \"bad \\q hunter2\"\n", "c: !!int hunter2\n")) {
            assertThat(parser.parse("x.yaml", chunk.getBytes(StandardCharsets.UTF_8))).singleElement()
                    .isInstanceOfSatisfying(Failed.class, failed -> assertThat(failed.message())
                            .startsWith("document 1, line 1, column").doesNotContain("secret", "hunter2"));
        }
    }

    @Test
    void jsonSyntaxErrorsDoNotQuoteTheSource() {
        byte[] json = "[hunter2-password]".getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse("x.json", json)).singleElement().isInstanceOfSatisfying(Failed.class, failed ->
                assertThat(failed.message()).startsWith("document 1, line 1, column").doesNotContain("hunter2"));
    }

    @Test
    void aRawControlCharacterRejectsTheSourceWithoutCarryingTheCharacter() {
        byte[] yaml = "kind: a\u0000b\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.parse("nul.yaml", yaml))
                .isInstanceOf(DescriptorException.class)
                .hasMessage("nul.yaml contains the character U+0000 at position 8, which YAML does not allow unescaped");
    }

    private static byte[] fixture(String name) {
        try (InputStream in = DescriptorParserTests.class.getResourceAsStream("/descriptors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
