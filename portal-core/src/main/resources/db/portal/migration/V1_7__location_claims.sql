-- Claim, then work, then write: a worker claims a location in a short transaction (its
-- next_refresh_at moves a lease ahead, so no other worker picks it, and claim_token is set), reads
-- and validates the source with no transaction and no connection held (a git host may take its
-- whole timeout), and writes the result in one short transaction that refuses a token no longer
-- there: a worker that outlived its lease, or was overtaken by a refresh somebody asked for, writes
-- nothing. A worker that dies leaves the location due again once the lease ends.
alter table locations add column claim_token uuid;
