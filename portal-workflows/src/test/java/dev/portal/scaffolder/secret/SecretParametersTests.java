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

    private static ObjectNode values() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"name": "svc", "token": "s3cret", "db": {"user": "app", "password": "pa55"},
                 "keys": [{"value": "k3y"}]}""");
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
