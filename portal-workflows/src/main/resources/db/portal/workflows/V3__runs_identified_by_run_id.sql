-- A run is identified by its own id. Zeebe's instance keys are unique per engine cluster only: a
-- restarted in-JVM engine (or a new cluster) hands out the same keys again, and the unique index
-- on process_instance_key made such a start fail with "duplicate key". Jobs and the run-end
-- worker find their run by the portalRunId variable, so nothing needs a lookup by instance key.
drop index scaffolder_runs_instance_idx;

-- 'starting': the run is stored before its process instance is created (the first job of the
-- instance, or the run-end worker, attaches the instance key if the host died before storing it).
alter table scaffolder_runs drop constraint scaffolder_runs_status_check;
alter table scaffolder_runs add constraint scaffolder_runs_status_check check (status in
    ('starting', 'running', 'waiting-for-approval', 'completed', 'failed', 'cancelled', 'rejected'));
