-- What the location's source looked like when it was last processed without errors (a commit id
-- for git, a content hash for files), so an unchanged source is not processed again.
alter table locations add column source_version varchar(128);
