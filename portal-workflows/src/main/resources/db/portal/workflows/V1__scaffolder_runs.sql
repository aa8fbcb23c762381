-- The Scaffolder's tables: runs, their steps and their event log. They live in the portal schema
-- beside the catalog but have their own Flyway history (portal_workflows_schema_history), so the
-- catalog and the workflows modules number their migrations independently.
--
-- jOOQ generates classes from this file through DDLDatabase (H2): indexed strings are varchar,
-- documents are text, PostgreSQL-only syntax sits inside jooq ignore markers.

-- One row per run of a template. template_document is the template entity as it was when the
-- run started: a run keeps working (and keeps its provenance) when the template changes later.
create table scaffolder_runs (
    id                     uuid                     not null primary key,
    template_ref           varchar                  not null,
    template_version       varchar(200)             not null,
    template_document      text                     not null,
    process_id             varchar(255)             not null,
    process_definition_key bigint,
    process_instance_key   bigint,
    parameter_values       text                     not null,
    requester              varchar                  not null,
    status                 varchar(32)              not null,
    failed_step            varchar(255),
    error_message          text,
    incident_key           bigint,
    output                 text                     not null default '{}',
    created_at             timestamp with time zone not null default current_timestamp,
    updated_at             timestamp with time zone not null default current_timestamp,
    finished_at            timestamp with time zone,
    constraint scaffolder_runs_status_check check (status in
        ('running', 'waiting-for-approval', 'completed', 'failed', 'cancelled', 'rejected'))
);
create index scaffolder_runs_status_idx on scaffolder_runs (status, created_at);
create index scaffolder_runs_requester_idx on scaffolder_runs (requester, created_at);
create unique index scaffolder_runs_instance_idx on scaffolder_runs (process_instance_key);

-- One row per step (BPMN element) of a run that a portal action worked on. The recorded output
-- of a completed step is what makes a redelivered job (Zeebe delivers at least once) replay the
-- result instead of doing the work again. element_instance_key tells a redelivery (same key) from
-- the process coming back to the same element (a loop: new key, the step runs again).
create table scaffolder_steps (
    run_id               uuid                     not null references scaffolder_runs (id) on delete cascade,
    step_id              varchar(255)             not null,
    action               varchar(255)             not null,
    element_instance_key bigint                   not null,
    job_key              bigint                   not null,
    status               varchar(32)              not null,
    attempt              integer                  not null,
    output               text,
    error_message        text,
    started_at           timestamp with time zone not null default current_timestamp,
    finished_at          timestamp with time zone,
    primary key (run_id, step_id),
    constraint scaffolder_steps_status_check check (status in ('running', 'completed', 'failed'))
);

-- The run's event log, in the order written (id). dedupe_key identifies events that a repeated
-- execution writes again (a step's n-th log line of an attempt, its start and end): the second
-- copy is dropped, so a redelivered job never duplicates log lines.
create table scaffolder_events (
    id         bigserial                not null primary key,
    run_id     uuid                     not null references scaffolder_runs (id) on delete cascade,
    step_id    varchar(255),
    type       varchar(32)              not null,
    level      varchar(16)              not null,
    message    text                     not null,
    dedupe_key varchar(512),
    created_at timestamp with time zone not null default current_timestamp
);
create index scaffolder_events_run_idx on scaffolder_events (run_id, id);
create unique index scaffolder_events_dedupe_idx on scaffolder_events (run_id, dedupe_key);
