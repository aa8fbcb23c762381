-- The search table's reads all start from a key: facets (key = ?), full-text (key in (...) and
-- value like '%term%') and ordering by a field (through search_entity_idx, by entity). Filters read
-- the entities' terms, not this table. So the index orders its entries by key alone and carries value
-- and entity id along: full-text stays an index-only scan, and a new row goes to the end of its
-- key's range instead of a random position among every value of that key. An ingest writes ~20 rows
-- per entity: at 100,000 entities writing the search rows took 9.6 s instead of 13.6 s (psql, the
-- bench's rows in 1,000 transactions of 100 entities), and the index is 172 MB instead of 288 MB.
-- [jooq ignore start]
create index search_key_idx on search (key) include (value, entity_id);
drop index search_key_value_idx;
-- [jooq ignore stop]
