-- engagements_tenant_assignee_open_idx (routing and availability.list count a person's open conversations) is built
-- CONCURRENTLY by the online step 0017 (packages/db/src/online-migrations/0017-open-work-index.ts): engagements is a
-- large table. Nothing to do inside the migration transaction.
SELECT 1;
