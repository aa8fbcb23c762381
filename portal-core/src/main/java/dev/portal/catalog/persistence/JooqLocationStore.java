package dev.portal.catalog.persistence;

import dev.portal.catalog.model.Location;
import dev.portal.catalog.model.LocationSpec;
import dev.portal.catalog.model.ProcessingError;
import dev.portal.db.tables.records.LocationsRecord;
import dev.portal.db.tables.records.ProcessingErrorsRecord;
import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.portal.db.Tables.LOCATIONS;
import static dev.portal.db.Tables.PROCESSING_ERRORS;

final class JooqLocationStore implements LocationStore {

    private final DSLContext dsl;

    JooqLocationStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public Location add(LocationSpec spec, Location.Origin origin, UUID parentId) {
        dsl.insertInto(LOCATIONS)
                .set(LOCATIONS.ID, UUID.randomUUID())
                .set(LOCATIONS.TYPE, spec.type())
                .set(LOCATIONS.TARGET, spec.target())
                .set(LOCATIONS.ORIGIN, origin.code())
                .set(LOCATIONS.PARENT_ID, parentId)
                .onConflict(LOCATIONS.TYPE, LOCATIONS.TARGET).doNothing()
                .execute();
        return find(spec).orElseThrow();
    }

    @Override
    public Location configure(LocationSpec spec, boolean trusted) {
        dsl.insertInto(LOCATIONS)
                .set(LOCATIONS.ID, UUID.randomUUID())
                .set(LOCATIONS.TYPE, spec.type())
                .set(LOCATIONS.TARGET, spec.target())
                .set(LOCATIONS.ORIGIN, Location.Origin.CONFIG.code())
                .set(LOCATIONS.TRUSTED, trusted)
                .onConflict(LOCATIONS.TYPE, LOCATIONS.TARGET).doUpdate()
                .set(LOCATIONS.ORIGIN, Location.Origin.CONFIG.code())
                .set(LOCATIONS.TRUSTED, trusted)
                .setNull(LOCATIONS.PARENT_ID)
                .execute();
        return find(spec).orElseThrow();
    }

    @Override
    public Optional<Location> find(UUID id) {
        return dsl.selectFrom(LOCATIONS).where(LOCATIONS.ID.eq(id)).fetchOptional(JooqLocationStore::toLocation);
    }

    @Override
    public Optional<Location> find(LocationSpec spec) {
        return dsl.selectFrom(LOCATIONS)
                .where(LOCATIONS.TYPE.eq(spec.type()), LOCATIONS.TARGET.eq(spec.target()))
                .fetchOptional(JooqLocationStore::toLocation);
    }

    @Override
    public List<Location> list() {
        return dsl.selectFrom(LOCATIONS).orderBy(LOCATIONS.CREATED_AT, LOCATIONS.ID).fetch(JooqLocationStore::toLocation);
    }

    @Override
    public List<Location> children(UUID parentId) {
        return dsl.selectFrom(LOCATIONS).where(LOCATIONS.PARENT_ID.eq(parentId))
                .orderBy(LOCATIONS.CREATED_AT, LOCATIONS.ID).fetch(JooqLocationStore::toLocation);
    }

    @Override
    public List<UUID> withDescendants(UUID id) {
        var tree = DSL.name("tree");
        var treeId = DSL.field(tree.append("id"), SQLDataType.UUID);
        CommonTableExpression<Record1<UUID>> cte = tree.fields("id").as(
                DSL.select(LOCATIONS.ID).from(LOCATIONS).where(LOCATIONS.ID.eq(id))
                        .unionAll(DSL.select(LOCATIONS.ID).from(LOCATIONS)
                                .join(DSL.table(tree)).on(LOCATIONS.PARENT_ID.eq(treeId))));
        return dsl.withRecursive(cte).select(cte.field(0, UUID.class)).from(cte).fetch(Record1::value1);
    }

    @Override
    public boolean delete(UUID id) {
        return dsl.deleteFrom(LOCATIONS).where(LOCATIONS.ID.eq(id)).execute() > 0;
    }

    @Override
    public int delete(Collection<UUID> ids) {
        return ids.isEmpty() ? 0 : dsl.deleteFrom(LOCATIONS).where(LOCATIONS.ID.in(ids)).execute();
    }

    @Override
    public Optional<Claim> claimDue(OffsetDateTime dueBy, Duration lease) {
        var due = DSL.select(LOCATIONS.ID).from(LOCATIONS)
                .where(LOCATIONS.NEXT_REFRESH_AT.le(dueBy))
                .orderBy(LOCATIONS.NEXT_REFRESH_AT)
                .limit(1)
                .forUpdate().skipLocked();
        return claimWhere(LOCATIONS.ID.eq(due), lease);
    }

    @Override
    public Optional<Claim> claim(UUID id, Duration lease) {
        return claimWhere(LOCATIONS.ID.eq(id), lease);
    }

    private Optional<Claim> claimWhere(Condition which, Duration lease) {
        UUID token = UUID.randomUUID();
        return dsl.update(LOCATIONS)
                .set(LOCATIONS.CLAIM_TOKEN, token)
                .set(LOCATIONS.NEXT_REFRESH_AT, OffsetDateTime.now().plus(lease))
                .where(which)
                .returning()
                .fetchOptional()
                .map(r -> new Claim(toLocation(r), token, r.getLastError() == null ? r.getSourceVersion() : null));
    }

    @Override
    public boolean holds(UUID id, UUID token) {
        return dsl.selectOne().from(LOCATIONS)
                .where(LOCATIONS.ID.eq(id), LOCATIONS.CLAIM_TOKEN.eq(token))
                .forUpdate()
                .fetchOptional().isPresent();
    }

    @Override
    public Optional<Location> lock(UUID id) {
        return dsl.selectFrom(LOCATIONS).where(LOCATIONS.ID.eq(id)).forUpdate()
                .fetchOptional(JooqLocationStore::toLocation);
    }

    @Override
    public void requestRefresh(UUID id) {
        dsl.update(LOCATIONS).set(LOCATIONS.NEXT_REFRESH_AT, DSL.currentOffsetDateTime())
                .setNull(LOCATIONS.SOURCE_VERSION)
                .where(LOCATIONS.ID.eq(id)).execute();
    }

    @Override
    public void recordRefresh(UUID id, Duration nextIn, String error, String sourceVersion) {
        OffsetDateTime now = OffsetDateTime.now();
        dsl.update(LOCATIONS)
                .set(LOCATIONS.LAST_REFRESH_AT, now)
                .set(LOCATIONS.NEXT_REFRESH_AT, now.plus(nextIn))
                .set(LOCATIONS.LAST_ERROR, error)
                .set(LOCATIONS.SOURCE_VERSION, error == null ? sourceVersion : null)
                .setNull(LOCATIONS.CLAIM_TOKEN)
                .where(LOCATIONS.ID.eq(id))
                .execute();
    }

    @Override
    public Optional<String> cleanSourceVersion(UUID id) {
        return dsl.select(LOCATIONS.SOURCE_VERSION).from(LOCATIONS)
                .where(LOCATIONS.ID.eq(id), LOCATIONS.LAST_ERROR.isNull())
                .fetchOptional(LOCATIONS.SOURCE_VERSION)
                .filter(version -> version != null);
    }

    @Override
    public void replaceErrors(UUID locationId, List<ProcessingError> errors) {
        dsl.deleteFrom(PROCESSING_ERRORS).where(PROCESSING_ERRORS.LOCATION_ID.eq(locationId)).execute();
        if (errors.isEmpty()) {
            return;
        }
        var insert = dsl.insertInto(PROCESSING_ERRORS, PROCESSING_ERRORS.LOCATION_ID, PROCESSING_ERRORS.ENTITY_REF,
                PROCESSING_ERRORS.DOCUMENT_INDEX, PROCESSING_ERRORS.MESSAGE);
        for (ProcessingError error : errors) {
            insert = insert.values(locationId, error.entityRef(), error.documentIndex(), error.message());
        }
        insert.execute();
    }

    @Override
    public List<ProcessingError> errors(UUID locationId) {
        return dsl.selectFrom(PROCESSING_ERRORS).where(PROCESSING_ERRORS.LOCATION_ID.eq(locationId))
                .orderBy(PROCESSING_ERRORS.ID).fetch(JooqLocationStore::toError);
    }

    @Override
    public Map<UUID, List<ProcessingError>> errorsByLocation() {
        Map<UUID, List<ProcessingError>> byLocation = new LinkedHashMap<>();
        dsl.selectFrom(PROCESSING_ERRORS).orderBy(PROCESSING_ERRORS.LOCATION_ID, PROCESSING_ERRORS.ID)
                .forEach(r -> byLocation.computeIfAbsent(r.getLocationId(), id -> new ArrayList<>()).add(toError(r)));
        return byLocation;
    }

    @Override
    public List<ProcessingError> errorsForEntity(String entityRef) {
        return dsl.selectFrom(PROCESSING_ERRORS).where(PROCESSING_ERRORS.ENTITY_REF.eq(entityRef))
                .orderBy(PROCESSING_ERRORS.ID).fetch(JooqLocationStore::toError);
    }

    @Override
    public List<ProcessingError> allErrors(int limit) {
        return dsl.selectFrom(PROCESSING_ERRORS).orderBy(PROCESSING_ERRORS.ID.desc()).limit(limit)
                .fetch(JooqLocationStore::toError);
    }

    private static ProcessingError toError(ProcessingErrorsRecord r) {
        return new ProcessingError(r.getLocationId(), r.getEntityRef(), r.getDocumentIndex(), r.getMessage(),
                r.getOccurredAt());
    }

    private static Location toLocation(LocationsRecord r) {
        return new Location(r.getId(), new LocationSpec(r.getType(), r.getTarget()),
                Location.Origin.ofCode(r.getOrigin()), r.getParentId(), r.getCreatedAt(), r.getLastRefreshAt(),
                r.getLastError(), r.getTrusted());
    }
}
