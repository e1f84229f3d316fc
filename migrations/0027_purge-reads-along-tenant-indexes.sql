-- A step of purge_tenant_batch reads `SELECT ctid FROM <table> WHERE tenant_id = $1 LIMIT $2`. For a large tenant the
-- planner expects the matches within a few pages and picks a sequential scan, but the tenant's rows may sit anywhere
-- in the heap (at the end, behind the dead rows of earlier steps), so each step read most of the table: 500 messages of
-- a 40k-message tenant in a 110k-row table, 483 ms by seq scan, 31 ms along the table's (tenant_id, …) index (every
-- table in the list has one). The setting holds only while the function runs.
ALTER FUNCTION public.purge_tenant_batch(uuid, integer) SET enable_seqscan = off;
