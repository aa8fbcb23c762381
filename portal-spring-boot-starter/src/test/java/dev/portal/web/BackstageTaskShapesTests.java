package dev.portal.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portal.scaffolder.run.Run;
import dev.portal.scaffolder.run.RunEvent;
import dev.portal.scaffolder.run.RunStatus;
import dev.portal.web.model.Task;
import dev.portal.web.model.TaskEvent;
import dev.portal.web.model.TaskEventBody;
import io.camunda.zeebe.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackstageTaskShapesTests {

    private static final UUID RUN = UUID.randomUUID();

    @Test
    void mapsEveryRunStatusToBackstagesTaskStatus() {
        assertThat(List.of(RunStatus.values())).extracting(status -> status.wireName() + "=" + BackstageTaskShapes.status(status).getValue())
                .containsExactly("starting=open", "running=processing", "waiting-for-approval=processing", "completed=completed",
                        "failed=failed", "cancelled=cancelled", "rejected=failed");
    }

    @Test
    void aStatusFilterTakesPortalsNamesAndBackstagesAndNamesBothWhenUnknown() {
        assertThat(BackstageTaskShapes.statusFilter("waiting-for-approval")).containsExactly(RunStatus.WAITING_FOR_APPROVAL);
        assertThat(BackstageTaskShapes.statusFilter("processing")).containsExactly(RunStatus.RUNNING, RunStatus.WAITING_FOR_APPROVAL);
        assertThat(BackstageTaskShapes.statusFilter("failed")).containsExactly(RunStatus.FAILED);
        assertThatThrownBy(() -> BackstageTaskShapes.statusFilter("done"))
                .hasMessageContaining("'done'").hasMessageContaining("waiting-for-approval").hasMessageContaining("processing");
    }

    @Test
    void specStepsAreTheProcessActivitiesInFlowOrderWithTheirActions() {
        String xml = Bpmn.convertToString(Bpmn.createExecutableProcess("p")
                .startEvent()
                .userTask("review", task -> task.name("Review"))
                .exclusiveGateway("decided")
                .condition("=approved")
                .serviceTask("publish", task -> task.zeebeJobType("portal.publish-git"))
                .endEvent()
                .moveToLastExclusiveGateway()
                .defaultFlow()
                .scriptTask("markRejected", task -> task.zeebeExpression("\"rejected\"").zeebeResultVariable("outcome"))
                .endEvent()
                .done());

        assertThat(new BackstageTaskShapes().steps(xml)).extracting(step -> step.getId() + "|" + step.getName() + "|" + step.getAction())
                .containsExactly("review|Review|portal:approval", "publish|publish|portal.publish-git",
                        "markRejected|markRejected|bpmn:scriptTask");
    }

    @Test
    void aProcessTheModelCannotReadHasNoSteps() {
        assertThat(new BackstageTaskShapes().steps("<not-bpmn/>")).isEmpty();
    }

    @Test
    void stepEventsAreLogEventsCarryingTheStepsStatusAndPortalsKind() {
        assertThat(List.of("step-started", "step-waiting", "step-completed", "step-failed", "step-error", "log", "status"))
                .extracting(type -> {
                    TaskEvent event = BackstageTaskShapes.event(new RunEvent(7, RUN, Optional.of("deploy"), type, "info", "m", OffsetDateTime.now()));
                    return event.getType().getValue() + ":" + (event.getBody().getStatus() == null ? "-" : event.getBody().getStatus().getValue())
                            + ":" + event.getBody().getKind();
                })
                .containsExactly("log:processing:step-started", "log:processing:step-waiting", "log:completed:step-completed",
                        "log:failed:step-failed", "log:-:step-error", "log:-:log", "log:-:status");
        assertThat(BackstageTaskShapes.event(new RunEvent(8, RUN, Optional.empty(), "recovered", "info", "retry", OffsetDateTime.now()))
                .getType()).isEqualTo(TaskEvent.TypeEnum.RECOVERED);
    }

    @Test
    void aRunGoingOnHasNoEndingAndAnEndedRunEndsWithCompletionCarryingTheLastId() {
        assertThat(BackstageTaskShapes.ending(run(RunStatus.RUNNING, null), 4)).isEmpty();
        assertThat(BackstageTaskShapes.ending(run(RunStatus.WAITING_FOR_APPROVAL, null), 4)).isEmpty();

        assertThat(BackstageTaskShapes.ending(run(RunStatus.COMPLETED, null), 9)).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo(TaskEvent.TypeEnum.COMPLETION);
            assertThat(event.getId()).isEqualTo(9);
            assertThat(event.getBody().getStatus()).isEqualTo(TaskEventBody.StatusEnum.COMPLETED);
            assertThat(event.getBody().getError()).isNull();
        });
        assertThat(BackstageTaskShapes.ending(run(RunStatus.CANCELLED, null), 9)).extracting(TaskEvent::getType)
                .containsExactly(TaskEvent.TypeEnum.CANCELLED, TaskEvent.TypeEnum.COMPLETION);
        assertThat(BackstageTaskShapes.ending(run(RunStatus.FAILED, "502 Bad Gateway"), 9)).singleElement().satisfies(event -> {
            assertThat(event.getBody().getStatus()).isEqualTo(TaskEventBody.StatusEnum.FAILED);
            assertThat(event.getBody().getStepId()).isEqualTo("deploy");
            assertThat(event.getBody().getError().getMessage()).isEqualTo("502 Bad Gateway");
        });
        assertThat(BackstageTaskShapes.ending(run(RunStatus.REJECTED, null), 9)).singleElement()
                .satisfies(event -> assertThat(event.getBody().getError().getMessage()).isEqualTo("the request was rejected"));
    }

    @Test
    void theSpecNamesTemplateRequesterAndValues() {
        var spec = BackstageTaskShapes.spec(run(RunStatus.RUNNING, null), List.of());
        assertThat(spec.getApiVersion().getValue()).isEqualTo("scaffolder.backstage.io/v1beta3");
        assertThat(spec.getTemplateInfo().getEntityRef()).isEqualTo("template:default/flaky");
        assertThat(spec.getUser().getRef()).isEqualTo("user:default/alice");
        assertThat(spec.getParameters().path("name").asText()).isEqualTo("x");
    }

    private static Run run(RunStatus status, String error) {
        OffsetDateTime now = OffsetDateTime.now();
        return new Run(RUN, "template:default/flaky", "e@1", "flaky", Optional.of(1L),
                JsonNodeFactory.instance.objectNode().put("name", "x"), "user:default/alice", status,
                Optional.ofNullable(error).map(e -> "deploy"), Optional.ofNullable(error), JsonNodeFactory.instance.objectNode(),
                List.of(), now, now, status.isFinal() ? Optional.of(now) : Optional.empty());
    }
}
