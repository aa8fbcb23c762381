package dev.portal.catalog.persistence;

import dev.portal.catalog.query.EntityFilter;
import dev.portal.db.tables.Entities;
import dev.portal.db.tables.Relations;
import dev.portal.db.tables.Search;
import org.jooq.Condition;

import java.util.List;

import static dev.portal.db.Tables.ENTITIES;
import static dev.portal.db.Tables.RELATIONS;
import static dev.portal.db.Tables.SEARCH;
import static org.jooq.impl.DSL.and;
import static org.jooq.impl.DSL.falseCondition;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.not;
import static org.jooq.impl.DSL.or;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.trueCondition;

/**
 * Turns an {@link EntityFilter} into a condition on {@code entities}: field tests become semi-joins
 * on the search table's (key, value) index, {@code relations.<type>} tests semi-joins on the
 * relations table.
 */
final class FilterConditions {

    static final String RELATIONS_PREFIX = "relations.";

    private static final Entities E = ENTITIES;
    private static final Search S = SEARCH.as("filter_search");
    private static final Relations R = RELATIONS.as("filter_relations");

    private FilterConditions() {
    }

    static Condition of(EntityFilter filter) {
        return switch (filter) {
            case EntityFilter.All all -> all.filters().isEmpty() ? trueCondition() : and(conditions(all.filters()));
            case EntityFilter.Any any -> any.filters().isEmpty() ? falseCondition() : or(conditions(any.filters()));
            case EntityFilter.Not negated -> not(of(negated.filter()));
            case EntityFilter.Equals equals -> equals.key().startsWith(RELATIONS_PREFIX)
                    ? E.ENTITY_REF.in(select(R.SOURCE_ENTITY_REF).from(R)
                            .where(lower(R.TYPE).eq(relationType(equals.key())))
                            .and(R.TARGET_ENTITY_REF.in(equals.values())))
                    : E.ENTITY_ID.in(select(S.ENTITY_ID).from(S)
                            .where(S.KEY.eq(equals.key()))
                            .and(S.VALUE.in(equals.values())));
            case EntityFilter.Exists exists -> exists.key().startsWith(RELATIONS_PREFIX)
                    ? E.ENTITY_REF.in(select(R.SOURCE_ENTITY_REF).from(R)
                            .where(lower(R.TYPE).eq(relationType(exists.key()))))
                    : E.ENTITY_ID.in(select(S.ENTITY_ID).from(S)
                            .where(S.KEY.eq(exists.key())));
        };
    }

    /** The lower-cased relation type of a {@code relations.<type>} key. */
    static String relationType(String key) {
        return key.substring(RELATIONS_PREFIX.length());
    }

    private static List<Condition> conditions(List<EntityFilter> filters) {
        return filters.stream().map(FilterConditions::of).toList();
    }
}
