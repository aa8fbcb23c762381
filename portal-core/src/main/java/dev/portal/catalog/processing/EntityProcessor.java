package dev.portal.catalog.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portal.catalog.model.Entity;
import dev.portal.catalog.model.Problem;

import java.util.List;
import java.util.Objects;

/**
 * The processing stage for one descriptor: validate it, and if it is valid, wrap it as an
 * {@link Entity} and derive its relations. Problems are returned as data so that one bad entity
 * never stops the others of a batch. Thread-safe.
 */
public final class EntityProcessor {

    private final EntityValidator validator;
    private final RelationDeriver deriver;

    public EntityProcessor() {
        this(new EntityValidator(), new RelationDeriver());
    }

    public EntityProcessor(EntityValidator validator, RelationDeriver deriver) {
        this.validator = Objects.requireNonNull(validator, "validator");
        this.deriver = Objects.requireNonNull(deriver, "deriver");
    }

    /**
     * Processes one parsed descriptor.
     *
     * @param json the descriptor; not changed
     * @param fallbackSubject names the descriptor in problems when it has no usable kind and name,
     *     e.g. {@code catalog-info.yaml, document 3}
     */
    public ProcessedEntity process(ObjectNode json, String fallbackSubject) {
        List<Problem> problems = validator.validate(json, fallbackSubject);
        if (!problems.isEmpty()) {
            return new ProcessedEntity(null, List.of(), problems);
        }
        Entity entity = Entity.of(json);
        RelationDeriver.Derivation derivation = deriver.derive(entity);
        if (!derivation.problems().isEmpty()) {
            return new ProcessedEntity(null, List.of(), derivation.problems());
        }
        return new ProcessedEntity(entity, derivation.relations(), List.of());
    }
}
