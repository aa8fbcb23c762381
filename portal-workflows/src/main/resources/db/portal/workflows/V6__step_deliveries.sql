-- Which delivery of a step's job is at work. Zeebe hands a job that timed out on a worker (a host
-- that died) to another one with the same job key, so the attempt stays the same; the delivery
-- number goes up with each new activation (told apart by the deadline Zeebe set when it activated
-- the job), and log lines are deduplicated per delivery: the lines of the worker that took over
-- ("already pushed, nothing to push") are kept, the same line written twice by one delivery is not.
alter table scaffolder_steps add column delivery integer not null default 1;
alter table scaffolder_steps add column activation bigint not null default 0;
