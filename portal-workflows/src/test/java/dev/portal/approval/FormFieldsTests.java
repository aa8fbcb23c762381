package dev.portal.approval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.catalog.model.EntityRef;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class FormFieldsTests {

    private static final String FORM = """
            {"id": "portal-approval", "components": [
              {"type": "text", "text": "Please check"},
              {"type": "textarea", "key": "approvalConditions"},
              {"type": "group", "components": [{"type": "checkbox", "key": "checks.security"}]},
              {"type": "group", "path": "contact", "components": [{"type": "textfield", "key": "name"}]},
              {"type": "dynamiclist", "path": "reviewers.list", "components": [{"type": "textfield", "key": "who"}]}]}""";

    private final FormFields fields = FormFields.camundaForms(key -> key == 42 ? Optional.of(FORM) : Optional.empty());

    @Test
    void aDeployedFormFillsTheTopLevelNamesOfItsKeysAndPaths() {
        assertThat(fields.of(task("42"))).contains(Set.of("approvalConditions", "checks", "contact", "reviewers"));
    }

    @Test
    void aTaskWithoutAFormFillsNothingAndAFormPortalDidNotDeployIsUnknown() {
        assertThat(fields.of(task(null))).contains(Set.of());
        assertThat(fields.of(task("7"))).isEmpty();
        assertThat(fields.of(task("camunda-forms:bpmn:approval"))).isEmpty();
    }

    private static ApprovalTask task(String formKey) {
        return new ApprovalTask(UUID.randomUUID(), 1L, UUID.randomUUID(), "user:default/alice", "template:default/t",
                "approve", "Approve", Optional.ofNullable(formKey), Optional.<EntityRef>empty(), List.of(), List.of(),
                Optional.empty(), JsonNodeFactory.instance.objectNode(), true, ApprovalStatus.OPEN, Optional.empty(),
                OffsetDateTime.now(), Optional.empty(), Map.of());
    }
}
