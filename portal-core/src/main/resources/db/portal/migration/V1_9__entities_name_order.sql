-- By-query pages sorted by metadata.name (what Backstage's clients and the web UI ask for) sort on
-- lower(name), ties by entity id. With this index a page after a cursor position reads from that
-- position on in index order, so walking the whole catalog reads each entity about once instead of
-- sorting every match for every page (quadratic in the catalog).
-- [jooq ignore start]
create index entities_name_order_idx on entities (lower(name), entity_id);
-- [jooq ignore stop]
