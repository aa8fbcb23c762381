-- search and relations hold ~40 and ~8 rows per entity; checking their foreign key on every
-- insert cost a sixth of ingest time (10,000 entities: 5.5 s -> 4.7 s without). Only the entity
-- store writes these tables, and it deletes an entity's rows together with the entity, in the
-- same transaction, so the constraint guarded nothing the code does not already keep.
-- [jooq ignore start]
alter table search drop constraint search_entity_id_fkey;
alter table relations drop constraint relations_originating_entity_id_fkey;
-- [jooq ignore stop]
