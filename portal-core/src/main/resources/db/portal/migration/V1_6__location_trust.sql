-- Group membership decides who approves what, so people and teams (User and Group entities) are
-- accepted only from registrations the host trusts: locations from the application's
-- configuration, unless configured otherwise. A location registered through the API is never
-- trusted, and the locations a Location entity names inherit the trust of their registration.
alter table locations add column trusted boolean not null default false;
update locations set trusted = true where origin = 'config';

-- Locations a Scaffolder run registers for repositories the portal published itself: read without
-- the API fences, but neither configuration (a configuration sync leaves them alone, the API may
-- not delete configuration) nor trusted with people and teams (the repository belongs to a team).
-- [jooq ignore start]
alter table locations drop constraint locations_origin_check;
alter table locations add constraint locations_origin_check check (origin in ('api', 'config', 'entity', 'scaffolder'));
update locations l set origin = 'scaffolder', trusted = false
 where origin = 'config' and type = 'url'
   and exists (select 1 from entities e where e.location_id = l.id
                 and e.document like '%"portal.dev/scaffolder-run-id"%');
-- [jooq ignore stop]
