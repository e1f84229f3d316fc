-- engagement_events_tenant_message_idx and engagement_events_tenant_engagement_idx (the lookups of its two cascading
-- foreign keys: deleting a message or an engagement, as the purge and erasure do, finds its events without walking all
-- of the tenant's) are built CONCURRENTLY by the online step 0026
-- (packages/db/src/online-migrations/0026-event-foreign-key-indexes.ts): engagement_events is a large table. Nothing to
-- do inside the migration transaction.
SELECT 1;
