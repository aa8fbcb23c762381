package dev.portal.scaffolder.render;

import dev.portal.error.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogInfoStampTests {

    private final CatalogInfoStamp stamp = new CatalogInfoStamp(new LinkedHashMap<>(Map.of("portal.dev/run", "42")));

    @Test
    void addsTheAnnotationsToEveryDocumentWithMetadataKeepingKeyOrder() {
        String stamped = stamp.stamp("""
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: a
                  annotations:
                    x: "1"
                  tags: [java]
                spec:
                  owner: team
                ---
                kind: Group
                metadata:
                  name: team
                """);

        assertThat(stamped).isEqualTo("""
                apiVersion: backstage.io/v1alpha1
                kind: Component
                metadata:
                  name: a
                  annotations:
                    x: "1"
                    portal.dev/run: "42"
                  tags:
                    - java
                spec:
                  owner: team
                ---
                kind: Group
                metadata:
                  name: team
                  annotations:
                    portal.dev/run: "42"
                """);
    }

    @Test
    void replacesAnAnnotationTheTemplateWroteUnderTheSameName() {
        assertThat(stamp.stamp("metadata:\n  annotations:\n    portal.dev/run: forged\n"))
                .isEqualTo("metadata:\n  annotations:\n    portal.dev/run: \"42\"\n");
    }

    @Test
    void leavesTextWithoutMetadataAsItIs() {
        String yaml = "# just a comment\nfoo: bar\n";

        assertThat(stamp.stamp(yaml)).isSameAs(yaml);
    }

    @Test
    void refusesTextThatIsNotYaml() {
        assertThatThrownBy(() -> stamp.stamp("metadata: [unclosed\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("not valid YAML");
    }

    @Test
    void aLabelYesSurvivesTheStampAsTheStringTheCatalogReads() {
        String stamped = stamp.stamp("""
                kind: Component
                metadata:
                  name: a
                  labels:
                    tier: yes
                    legacy: off
                    build: 1_000
                """);

        assertThat(stamped).contains("tier: \"yes\"").contains("legacy: \"off\"");
        var parsed = new dev.portal.catalog.ingest.DescriptorParser(dev.portal.catalog.ingest.ParserLimits.defaults())
                .parse("catalog-info.yaml", stamped.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(parsed).singleElement().isInstanceOfSatisfying(dev.portal.catalog.ingest.ParsedDocument.Parsed.class,
                document -> {
                    assertThat(document.json().path("metadata").path("labels").path("tier").textValue()).isEqualTo("yes");
                    assertThat(document.json().path("metadata").path("labels").path("build").textValue()).isEqualTo("1_000");
                });
    }

    @Test
    void appliesToCatalogInfoFilesOnly() {
        assertThat(CatalogInfoStamp.appliesTo(Path.of("a/catalog-info.yaml"))).isTrue();
        assertThat(CatalogInfoStamp.appliesTo(Path.of("catalog-info.yml"))).isTrue();
        assertThat(CatalogInfoStamp.appliesTo(Path.of("mkdocs.yaml"))).isFalse();
    }
}
