package dev.portal.scaffolder.zeebe;

import dev.portal.scaffolder.run.ProcessInstanceRef;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.ProcessInstanceIntent;
import io.camunda.zeebe.protocol.record.intent.VariableIntent;
import io.camunda.zeebe.protocol.record.value.BpmnElementType;
import io.camunda.zeebe.protocol.record.value.ProcessInstanceRecordValue;
import io.camunda.zeebe.protocol.record.value.VariableRecordValue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Finds a run's instance in an engine's record stream: for the in-JVM engine, which has no search
 * API. Reads the whole stream each time, which is fine for development and tests.
 */
public final class RecordStreamRunInstanceLookup implements RunInstanceLookup {

    private final Supplier<Iterable<Record<?>>> records;

    public RecordStreamRunInstanceLookup(Supplier<Iterable<Record<?>>> records) {
        this.records = records;
    }

    @Override
    public Optional<ProcessInstanceRef> find(UUID runId, String processId) {
        String value = "\"" + runId + "\"";
        Set<Long> carrying = new HashSet<>();
        for (Record<?> record : records.get()) {
            if (record.getValueType() == ValueType.VARIABLE && record.getIntent() == VariableIntent.CREATED
                    && record.getValue() instanceof VariableRecordValue variable
                    && ZeebeActionWorkers.RUN_ID_VARIABLE.equals(variable.getName()) && value.equals(variable.getValue())
                    && variable.getScopeKey() == variable.getProcessInstanceKey()) {
                carrying.add(variable.getProcessInstanceKey());
            }
        }
        if (carrying.isEmpty()) {
            return Optional.empty();
        }
        for (Record<?> record : records.get()) {
            if (record.getValueType() == ValueType.PROCESS_INSTANCE
                    && record.getIntent() == ProcessInstanceIntent.ELEMENT_ACTIVATED
                    && record.getValue() instanceof ProcessInstanceRecordValue instance
                    && instance.getBpmnElementType() == BpmnElementType.PROCESS
                    && carrying.contains(instance.getProcessInstanceKey())
                    && instance.getParentProcessInstanceKey() < 0
                    && processId.equals(instance.getBpmnProcessId())) {
                return Optional.of(new ProcessInstanceRef(instance.getBpmnProcessId(), instance.getProcessDefinitionKey(),
                        instance.getProcessInstanceKey(), instance.getVersion()));
            }
        }
        return Optional.empty();
    }
}
