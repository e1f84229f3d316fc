-- Tenant-first primary keys: agents, calls, leads, engagements and engagement_events are keyed (tenant_id, id)
-- like every other tenant table, so the schema can be distributed by tenant_id (Citus, see packages/db/README.md)
-- without a redesign. The composite foreign keys (calls → agents, engagement_events → engagements) are kept; they
-- now point at the primary keys, which replace the separate (tenant_id, id) unique constraints and the
-- engagement_events (tenant_id, id) index.
--
-- What is and is not lock-safe. drizzle's migrator runs every pending migration in ONE transaction
-- (packages/db/src/migrate.ts), so CREATE INDEX CONCURRENTLY cannot run here, and every lock below is held until
-- that transaction commits.
-- * Step 1 builds each unique index with a plain CREATE UNIQUE INDEX: a SHARE lock (reads go on, writes to that
--   table wait) for as long as the build takes, i.e. seconds per few million rows. On a large deployment, build
--   them beforehand without blocking writes, outside any transaction, under the same names:
--     CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "calls_tenant_id_id_pk" ON "calls" ("tenant_id", "id");
--     (same for agents, leads, engagements, engagement_events)
--   Step 1 is then a no-op. If a concurrent build failed, it leaves an INVALID index: step 3 then refuses it and
--   the whole migration rolls back with nothing changed; DROP INDEX CONCURRENTLY it and build it again.
-- * Steps 2–3 swap the keys: ACCESS EXCLUSIVE locks, but catalog-only (the columns are already NOT NULL, so
--   ADD PRIMARY KEY USING INDEX does not scan; dropping the old keys drops their indexes).
-- * Step 4 re-adds the two composite foreign keys NOT VALID (catalog-only) and validates them. VALIDATE reads
--   calls and engagement_events once (an index probe per row into agents / engagements); it would take only a
--   SHARE UPDATE EXCLUSIVE lock on its own, but the ACCESS EXCLUSIVE locks of step 3 on the same tables are held
--   until commit, so writes and reads of calls and engagement_events wait for that scan. It is the one step that
--   grows with the data (the same rows the previous foreign keys already checked).

-- 1. The new keys' indexes.
CREATE UNIQUE INDEX IF NOT EXISTS "agents_tenant_id_id_pk" ON "agents" USING btree ("tenant_id", "id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "calls_tenant_id_id_pk" ON "calls" USING btree ("tenant_id", "id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "leads_tenant_id_id_pk" ON "leads" USING btree ("tenant_id", "id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "engagements_tenant_id_id_pk" ON "engagements" USING btree ("tenant_id", "id");--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "engagement_events_tenant_id_id_pk" ON "engagement_events" USING btree ("tenant_id", "id");--> statement-breakpoint
-- 2. The old keys go (the composite foreign keys depend on the unique constraints, so they go first).
ALTER TABLE "calls" DROP CONSTRAINT "calls_agent_fk";--> statement-breakpoint
ALTER TABLE "engagement_events" DROP CONSTRAINT "engagement_events_engagement_fk";--> statement-breakpoint
ALTER TABLE "agents" DROP CONSTRAINT "agents_tenant_id_id_unique";--> statement-breakpoint
ALTER TABLE "engagements" DROP CONSTRAINT "engagements_tenant_id_id_unique";--> statement-breakpoint
ALTER TABLE "agents" DROP CONSTRAINT "agents_pkey";--> statement-breakpoint
ALTER TABLE "calls" DROP CONSTRAINT "calls_pkey";--> statement-breakpoint
ALTER TABLE "leads" DROP CONSTRAINT "leads_pkey";--> statement-breakpoint
ALTER TABLE "engagements" DROP CONSTRAINT "engagements_pkey";--> statement-breakpoint
ALTER TABLE "engagement_events" DROP CONSTRAINT "engagement_events_pkey";--> statement-breakpoint
DROP INDEX "engagement_events_tenant_id_idx";--> statement-breakpoint
-- 3. The new primary keys, on the indexes of step 1.
ALTER TABLE "agents" ADD CONSTRAINT "agents_tenant_id_id_pk" PRIMARY KEY USING INDEX "agents_tenant_id_id_pk";--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_tenant_id_id_pk" PRIMARY KEY USING INDEX "calls_tenant_id_id_pk";--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_tenant_id_id_pk" PRIMARY KEY USING INDEX "leads_tenant_id_id_pk";--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_tenant_id_id_pk" PRIMARY KEY USING INDEX "engagements_tenant_id_id_pk";--> statement-breakpoint
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_tenant_id_id_pk" PRIMARY KEY USING INDEX "engagement_events_tenant_id_id_pk";--> statement-breakpoint
-- 4. The composite foreign keys again, now on the primary keys.
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_fk" FOREIGN KEY ("tenant_id","agent_id") REFERENCES "public"."agents"("tenant_id","id") ON DELETE no action ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_engagement_fk" FOREIGN KEY ("tenant_id","engagement_id") REFERENCES "public"."engagements"("tenant_id","id") ON DELETE cascade ON UPDATE no action NOT VALID;--> statement-breakpoint
ALTER TABLE "calls" VALIDATE CONSTRAINT "calls_agent_fk";--> statement-breakpoint
ALTER TABLE "engagement_events" VALIDATE CONSTRAINT "engagement_events_engagement_fk";
