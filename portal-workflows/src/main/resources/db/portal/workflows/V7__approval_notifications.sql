-- The portal's own task headers (portal.*: title, fourEyes, notify.*), so that what a task asked
-- for is known after the job that carried it is gone (a due-date reminder days later).
alter table approval_tasks add column headers text not null default '{}';

-- What approvers were told, one row per task, event (created, escalated, due-soon) and channel
-- (mail, webhook:<name>). The row is inserted before anything is sent and the primary key lets
-- only one insert win, so a task recorded again after a restart, a second host, or two reminder
-- sweeps never send twice: a notification goes out at most once.
create table approval_notifications (
    job_key    bigint                   not null references approval_tasks (job_key) on delete cascade,
    event      varchar(32)              not null,
    channel    varchar(255)             not null,
    claimed_at timestamp with time zone not null default current_timestamp,
    sent_at    timestamp with time zone,
    attempts   integer                  not null default 0,
    error      text,
    primary key (job_key, event, channel)
);
-- the reminder sweep reads open tasks by due date
-- [jooq ignore start]
create index approval_tasks_due_idx on approval_tasks (due_date) where status = 'open' and due_date is not null;
-- [jooq ignore stop]
