package dev.portal.scaffolder.zeebe;

import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.IncidentIntent;
import io.camunda.zeebe.protocol.record.value.IncidentRecordValue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
    public Optional<Long> incidentOfJob(long processInstanceKey, long jobKey) {
        Optional<Long> open = Optional.empty();
        Set<Long> resolved = new HashSet<>();
        for (Record<?> record : records.get()) {
            if (record.getValueType() != ValueType.INCIDENT
                    || !(record.getValue() instanceof IncidentRecordValue value)
                    || value.getProcessInstanceKey() != processInstanceKey || value.getJobKey() != jobKey) {
                continue;
            }
            if (record.getIntent() == IncidentIntent.CREATED) {
                open = Optional.of(record.getKey());
            } else if (record.getIntent() == IncidentIntent.RESOLVED) {
                resolved.add(record.getKey());
            }
        }
        return open.filter(key -> !resolved.contains(key));
    }
}
