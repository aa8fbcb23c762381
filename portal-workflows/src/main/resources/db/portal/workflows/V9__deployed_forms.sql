-- The Camunda forms the portal deployed, kept in PostgreSQL like deployed BPMN XML (V4): an
-- approver's form is shown after a restart and on every instance, not only by the instance whose
-- memory saw the deployment. Content by its SHA-256; which key a deployment gave it beside it.
create table scaffolder_forms (
    sha256     varchar(64)              not null primary key,
    form_id    varchar(255)             not null,
    json       text                     not null,
    created_at timestamp with time zone not null default current_timestamp
);

-- A user task's job names its form by the key Zeebe gave the form, which is unique per engine
-- cluster only: a key is looked up in the deployment that gave it most recently (a restarted
-- in-JVM engine deploys its forms again, first, and hands out the keys again).
create table scaffolder_form_deployments (
    form_key       bigint                   not null,
    deployment_key bigint                   not null,
    form_id        varchar(255)             not null,
    version        integer                  not null,
    sha256         varchar(64)              not null references scaffolder_forms (sha256),
    deployed_at    timestamp with time zone not null default current_timestamp,
    constraint scaffolder_form_deployments_pkey primary key (form_key, deployment_key)
);
create index scaffolder_form_deployments_key_idx on scaffolder_form_deployments (form_key, deployed_at);
