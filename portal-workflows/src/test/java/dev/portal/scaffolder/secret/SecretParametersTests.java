package dev.portal.scaffolder.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portal.catalog.model.Entity;
import dev.portal.scaffolder.template.TemplateDefinition;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretParametersTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SecretBox box = SecretBox.withKey(new byte[32]);
    private final UUID run = UUID.randomUUID();

    @Test
    void sealsValuesMarkedSecretAtAnyDepthAndNothingElse() throws Exception {
        ObjectNode sealed = SecretParameters.seal(template(), values(), box, run);

        assertThat(sealed.path("name").asText()).isEqualTo("svc");
        assertThat(SecretBox.isSealed(sealed.path("token"))).isTrue();
        assertThat(SecretBox.isSealed(sealed.path("db").path("password"))).isTrue();
        assertThat(SecretBox.isSealed(sealed.path("keys").path(0).path("value"))).isTrue();
        assertThat(sealed.path("db").path("user").asText()).isEqualTo("app");
        assertThat(sealed.toString()).doesNotContain("s3cret").doesNotContain("pa55").doesNotContain("k3y");
    }

    @Test
    void opensWholeAndEmbeddedSealedValuesAndNamesWhatItOpened() throws Exception {
        ObjectNode sealed = SecretParameters.seal(template(), values(), box, run);
        Set<String> opened = new LinkedHashSet<>();

        JsonNode whole = box.open(sealed, run, opened);
        JsonNode embedded = box.open(TextNode.valueOf("token " + sealed.path("token").asText() + ".x!"), run, opened);

        assertThat(whole).isEqualTo(values());
        assertThat(embedded.asText()).isEqualTo("token s3cret.x!");
        assertThat(opened).contains("s3cret", "pa55", "k3y");
        assertThat(SecretBox.redact("token s3cret", opened)).isEqualTo("token " + SecretBox.MASK);
    }

    @Test
    void aSealedValueDoesNotOpenForAnotherRunOrWithAnotherKey() throws Exception {
        ObjectNode sealed = SecretParameters.seal(template(), values(), box, run);

        assertThatThrownBy(() -> box.open(sealed, UUID.randomUUID(), new LinkedHashSet<>()))
                .isInstanceOf(SecretUnavailableException.class).hasMessageContaining("portal.scaffolder.secrets.key");
        assertThatThrownBy(() -> SecretBox.ephemeral().open(sealed, run, new LinkedHashSet<>()))
                .isInstanceOf(SecretUnavailableException.class);
    }

    @Test
    void masksSealedValuesWithoutTheKey() throws Exception {
        JsonNode masked = SecretBox.mask(SecretParameters.seal(template(), values(), box, run));

        assertThat(masked.path("token").asText()).isEqualTo(SecretBox.MASK);
        assertThat(masked.path("db").path("password").asText()).isEqualTo(SecretBox.MASK);
        assertThat(masked.path("name").asText()).isEqualTo("svc");
    }

    @Test
    void sealsSecretsDeclaredThroughEveryKeywordThatAppliesASchemaToAValue() throws Exception {
        TemplateDefinition template = template("""
                [{"properties": {"useToken": {"type": "boolean"}, "ref": {"$ref": "#/$defs/credential"},
                                 "labels": {"type": "object", "additionalProperties": {"type": "string", "format": "password"}},
                                 "env": {"type": "object", "patternProperties": {"^SECRET_": {"type": "string", "ui:widget": "password"}}},
                                 "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string", "ui:field": "Secret"}]},
                                 "beside": {"$ref": "#/$defs/plain", "format": "password"}},
                  "dependentSchemas": {"useToken": {"properties": {"token": {"type": "string", "ui:widget": "password"}}}},
                  "$defs": {"credential": {"type": "string", "format": "password"}, "plain": {"type": "string"}}}]""");
        ObjectNode values = (ObjectNode) JSON.readTree("""
                {"useToken": true, "token": "t0ken", "ref": "r3f", "labels": {"a": "l4bel"},
                 "env": {"SECRET_X": "x5ecret", "PLAIN": "visible"}, "pair": ["user", "p4ir"], "beside": "b3side"}""");

        SecretParameters.requireSealable(template);
        ObjectNode sealed = SecretParameters.seal(template, values, box, run);

        assertThat(sealed.toString()).doesNotContain("t0ken", "r3f", "l4bel", "x5ecret", "p4ir", "b3side")
                .contains("visible", "user");
        assertThat(box.open(sealed, run, new LinkedHashSet<>())).isEqualTo(values);
    }

    @Test
    void aValueThatOnlyContainsTheSealedPrefixIsStillSealed() throws Exception {
        ObjectNode values = values().put("token", "my " + SecretBox.PREFIX + "password");

        ObjectNode sealed = SecretParameters.seal(template(), values, box, run);

        assertThat(sealed.path("token").asText()).doesNotContain("my ").startsWith(SecretBox.PREFIX);
        assertThat(box.open(sealed, run, new LinkedHashSet<>()).path("token").asText()).isEqualTo("my " + SecretBox.PREFIX + "password");
    }

    @Test
    void aTemplateMarkingASecretWherePortalCannotFindTheValueIsRefusedNamingWhere() throws Exception {
        TemplateDefinition template = template("""
                [{"properties": {"name": {"type": "string"}}},
                 {"properties": {"keys": {"type": "array", "contains": {"type": "string", "format": "password"}}}}]""");

        assertThatThrownBy(() -> SecretParameters.requireSealable(template))
                .isInstanceOf(dev.portal.scaffolder.template.TemplateException.class)
                .hasMessageContaining("parameter page 2").hasMessageContaining("/properties/keys/contains");
        SecretParameters.requireSealable(template());
    }

    private static ObjectNode values() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"name": "svc", "token": "s3cret", "db": {"user": "app", "password": "pa55"},
                 "keys": [{"value": "k3y"}]}""");
    }

    private static TemplateDefinition template(String parameters) throws Exception {
        return TemplateDefinition.of(Entity.of((ObjectNode) JSON.readTree("""
                {"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template", "metadata": {"name": "t"},
                 "spec": {"workflow": {"processId": "p"}, "parameters": %s}}""".formatted(parameters))));
    }

    private static TemplateDefinition template() throws Exception {
        return TemplateDefinition.of(Entity.of((ObjectNode) JSON.readTree("""
                {"apiVersion": "scaffolder.backstage.io/v1beta3", "kind": "Template", "metadata": {"name": "t"},
                 "spec": {"workflow": {"processId": "p"}, "parameters": [
                   {"properties": {"name": {"type": "string"}, "token": {"type": "string", "format": "password"}}},
                   {"properties": {"db": {"type": "object", "properties": {
                       "user": {"type": "string"}, "password": {"type": "string", "ui:field": "Secret"}}},
                     "keys": {"type": "array", "items": {"type": "object", "properties": {
                       "value": {"type": "string", "ui:widget": "password"}}}}}}]}}""")));
    }
}
