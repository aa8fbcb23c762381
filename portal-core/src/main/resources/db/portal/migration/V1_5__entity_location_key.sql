-- Which registration an entity belongs to: the ref (type:target) of the location that was
-- registered or configured and led to it (its backstage.io/managed-by-origin-location). It stays
-- when that location is removed and the entity becomes an orphan: another registration may not
-- take the ref over (Backstage's location-key rule), so nobody can replace somebody else's entity,
-- a User or Group above all, by deleting its location or waiting for it to vanish. Only the same
-- registration, or deleting the orphan, frees the ref.
alter table entities add column location_key varchar;
-- [jooq ignore start]
update entities
   set location_key = (document::jsonb) -> 'metadata' -> 'annotations' ->> 'backstage.io/managed-by-origin-location';
-- [jooq ignore stop]
