-- The catalog's version: one number that moves forward in the same transaction as every change to
-- the entities (and so to their search and relation rows, which only change with them). A read
-- that reads it in the same statement as its data knows exactly which state its answer belongs
-- to; an answer kept under that number (facet counts, a query's total) is exact for as long as the
-- number has not moved, and a reader that sees it moved never uses the kept answer again. So no
-- kept answer outlives a write that was acknowledged: the number moves before the commit does.
--
-- The trigger is a deferred constraint trigger: it runs at commit, once per transaction that
-- changed entities (a transaction-local setting remembers it ran), so concurrent writers hold the
-- version row's lock only for the moment between their commit's start and its end, not for the
-- whole of their transaction. A TRUNCATE (tests do it) moves it too.
-- [jooq ignore start]
create table catalog_version (
    singleton boolean primary key default true check (singleton),
    version   bigint  not null
);
insert into catalog_version (singleton, version) values (true, 1);

create function catalog_version_bump() returns trigger language plpgsql
    set search_path from current
as $$
begin
    if current_setting('portal.catalog_version_bumped', true) is distinct from txid_current()::text then
        update catalog_version set version = version + 1;
        perform set_config('portal.catalog_version_bumped', txid_current()::text, true);
    end if;
    return null;
end
$$;

create constraint trigger entities_version after insert or update or delete on entities
    deferrable initially deferred for each row execute function catalog_version_bump();
create trigger entities_truncated_version after truncate on entities
    for each statement execute function catalog_version_bump();
create trigger search_truncated_version after truncate on search
    for each statement execute function catalog_version_bump();
create trigger relations_truncated_version after truncate on relations
    for each statement execute function catalog_version_bump();
-- [jooq ignore stop]
