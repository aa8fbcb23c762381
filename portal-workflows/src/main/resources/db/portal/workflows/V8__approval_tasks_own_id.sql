-- An approval task is identified by its own id. Zeebe's job keys are unique per engine cluster
-- only: a restarted in-JVM engine (or a new cluster) hands out the same keys again, and a task keyed
-- by its job key made the new run's task collide with an old one (never recorded, its decision
-- refused as a duplicate). The job key stays as the engine's key, unique together with the run, so
-- a redelivered job is still recorded once.
alter table approval_tasks add column id uuid;
alter table approval_decisions add column task_id uuid;
alter table approval_audit add column task_id uuid;
-- what approvers were told (V7) is told per task: a new run's task whose job key an old task had
-- is a new task, and its approvers are told about it
alter table approval_notifications add column task_id uuid;
-- [jooq ignore start]
update approval_tasks set id = gen_random_uuid();
update approval_decisions d set task_id = t.id from approval_tasks t where t.job_key = d.job_key;
update approval_audit a set task_id = t.id from approval_tasks t where t.job_key = a.job_key and t.run_id = a.run_id;
-- audit of a task whose run was deleted (tasks go with their run, audit stays): an id of its own,
-- one per task it told about
update approval_audit a set task_id = orphan.id
  from (select job_key, run_id, gen_random_uuid() as id from approval_audit where task_id is null group by job_key, run_id) orphan
 where a.task_id is null and orphan.job_key = a.job_key and orphan.run_id = a.run_id;
update approval_notifications n set task_id = t.id from approval_tasks t where t.job_key = n.job_key;
alter table approval_notifications drop constraint approval_notifications_job_key_fkey;
alter table approval_notifications drop constraint approval_notifications_pkey;
alter table approval_notifications alter column job_key drop not null;
alter table approval_decisions drop constraint approval_decisions_job_key_fkey;
alter table approval_decisions drop constraint approval_decisions_pkey;
alter table approval_tasks drop constraint approval_tasks_pkey;
alter table approval_tasks add constraint approval_tasks_pkey primary key (id);
alter table approval_decisions add constraint approval_decisions_pkey primary key (task_id);
alter table approval_decisions add constraint approval_decisions_task_fkey foreign key (task_id) references approval_tasks (id);
alter table approval_notifications add constraint approval_notifications_pkey primary key (task_id, event, channel);
alter table approval_notifications add constraint approval_notifications_task_fkey foreign key (task_id)
    references approval_tasks (id) on delete cascade;
-- [jooq ignore stop]
alter table approval_tasks alter column id set not null;
alter table approval_decisions alter column task_id set not null;
alter table approval_audit alter column task_id set not null;
alter table approval_notifications alter column task_id set not null;
create unique index approval_tasks_run_job_idx on approval_tasks (run_id, job_key);
create index approval_tasks_job_key_idx on approval_tasks (job_key);
create index approval_audit_task_idx on approval_audit (task_id, id);
