-- The approval inbox: one row per user task (job-worker implementation) a run reached, keyed by
-- its Zeebe job key, so a job delivered twice is recorded once. Assignment comes from the job's
-- headers, with Zeebe's FEEL expressions already evaluated.
create table approval_tasks (
    job_key              bigint                   not null primary key,
    run_id               uuid                     not null references scaffolder_runs (id) on delete cascade,
    element_id           varchar(255)             not null,
    element_instance_key bigint                   not null,
    process_instance_key bigint                   not null,
    name                 varchar(512)             not null,
    form_key             varchar(512),
    assignee             varchar,
    candidate_users      text                     not null default '[]',
    candidate_groups     text                     not null default '[]',
    due_date             timestamp with time zone,
    variables            text                     not null default '{}',
    four_eyes            boolean                  not null,
    status               varchar(32)              not null,
    claimed_by           varchar,
    created_at           timestamp with time zone not null default current_timestamp,
    closed_at            timestamp with time zone,
    constraint approval_tasks_status_check check (status in ('open', 'approved', 'rejected', 'escalated', 'cancelled'))
);
create index approval_tasks_open_idx on approval_tasks (status, created_at);
create index approval_tasks_run_idx on approval_tasks (run_id);

-- One decision per task, ever: the primary key makes a second, concurrent decision fail, and
-- nothing updates or deletes a decision. applied_at is set once Zeebe accepted the completion; a
-- decision without it (a crash in between) is applied again at start-up.
create table approval_decisions (
    job_key     bigint                   not null primary key references approval_tasks (job_key),
    run_id      uuid                     not null,
    approved    boolean                  not null,
    comment     text,
    approver    varchar                  not null,
    variables   text                     not null default '{}',
    decided_at  timestamp with time zone not null default current_timestamp,
    applied_at  timestamp with time zone
);
create index approval_decisions_unapplied_idx on approval_decisions (applied_at);

-- Who did what to which task, in order; never updated or deleted.
create table approval_audit (
    id         bigserial                not null primary key,
    job_key    bigint                   not null,
    run_id     uuid                     not null,
    action     varchar(32)              not null,
    actor      varchar                  not null,
    comment    text,
    created_at timestamp with time zone not null default current_timestamp
);
create index approval_audit_run_idx on approval_audit (run_id, id);
