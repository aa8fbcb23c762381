package dev.portal.scaffolder.zeebe;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds incidents in an engine's record stream: for the in-JVM engine
 * ({@code ZeebeTestEngine#getRecordStreamSource()}), which has no search API. Reads the whole
 * stream each time, which is fine for development and tests, not for production.
 */
public final class RecordStreamIncidentLookup implements IncidentLookup {

    private final Supplier<Iterable<Record<?>>> records;

    public RecordStreamIncidentLookup(Supplier<Iterable<Record<?>>> records) {
        this.records = records;
    }

    @Override
    public List<OpenIncident> openIncidents(long processInstanceKey) {
        Map<Long, OpenIncident> open = new LinkedHashMap<>();
        for (Record<?> record : records.get()) {
            if (record.getValueType() != ValueType.INCIDENT
                    || !(record.getValue() instanceof IncidentRecordValue value)
                    || value.getProcessInstanceKey() != processInstanceKey) {
                continue;
            }
            if (record.getIntent() == IncidentIntent.CREATED) {
                open.put(record.getKey(), new OpenIncident(record.getKey(), value.getElementId(),
                        Optional.of(value.getJobKey()).filter(key -> key > 0), value.getErrorMessage()));
            } else if (record.getIntent() == IncidentIntent.RESOLVED) {
                open.remove(record.getKey());
            }
        }
        return List.copyOf(open.values());
    }
}
