-- The BPMN XML of every process the portal deployed, as deployed (with the run-end listener the
-- deployer adds), by the SHA-256 of that XML: what a run's page draws, after a restart and on
-- every instance alike. Keyed by content, not by Zeebe's definition key, which is unique per
-- engine cluster only.
create table scaffolder_process_xml (
    sha256     varchar(64)              not null primary key,
    xml        text                     not null,
    created_at timestamp with time zone not null default current_timestamp
);

-- Which deployed XML a run's instance runs (empty for a process the portal did not deploy).
alter table scaffolder_runs add column process_xml_sha256 varchar(64);

-- What checking a template's BPMN found when the catalog stored the template (the deployer's job
-- type check, Zeebe's validation of the model and its FEEL expressions): a broken template is
-- reported when it is registered, not when somebody first starts it.
create table scaffolder_template_checks (
    template_ref   varchar                  not null primary key,
    template_etag  varchar(200)             not null,
    problem        text,
    checked_at     timestamp with time zone not null default current_timestamp
);
