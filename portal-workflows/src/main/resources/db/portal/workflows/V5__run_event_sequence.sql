-- A run's events in the order they commit: seq numbers the events of one run, taken from the run's
-- counter row in the transaction that writes the event. The row stays locked until that
-- transaction ends, so a later seq always commits after an earlier one, and a stream that reads
-- "seq > last" never passes over an event that commits late (ids from the global bigserial were
-- handed out before commit, in any order). Clients see seq as the event id; id stays a row id.
create table scaffolder_event_counters (
    run_id   uuid   not null primary key references scaffolder_runs (id) on delete cascade,
    last_seq bigint not null
);

alter table scaffolder_events add column seq bigint not null default 0;
-- [jooq ignore start]
update scaffolder_events e
   set seq = numbered.seq
  from (select id, row_number() over (partition by run_id order by id) as seq from scaffolder_events) numbered
 where numbered.id = e.id;
insert into scaffolder_event_counters (run_id, last_seq)
select run_id, max(seq) from scaffolder_events group by run_id;
-- [jooq ignore stop]
alter table scaffolder_events alter column seq drop default;
drop index scaffolder_events_run_idx;
create unique index scaffolder_events_seq_idx on scaffolder_events (run_id, seq);
