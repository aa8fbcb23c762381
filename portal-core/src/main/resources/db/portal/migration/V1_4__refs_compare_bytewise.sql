-- Entity refs are lower-cased identifiers compared only for equality: byte-wise ("C") comparison
-- makes every index probe on them a memcmp instead of a locale-aware comparison.
-- [jooq ignore start]
alter table entities alter column entity_ref type varchar collate "C";
alter table relations alter column source_entity_ref type varchar collate "C";
alter table relations alter column target_entity_ref type varchar collate "C";
-- [jooq ignore stop]
