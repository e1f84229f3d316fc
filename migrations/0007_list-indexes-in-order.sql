-- Keyset lists order by (timestamp DESC, id DESC), which PostgreSQL reads as DESC NULLS FIRST; drizzle-kit's
-- `.desc()` indexes were DESC NULLS LAST, so no list could use its index for the order: every page read all of the
-- tenant's rows before the cursor, then sorted them. Recreated as DESC NULLS FIRST (the columns are NOT NULL), plus
-- calls by status. Test: packages/db/test/list-indexes.test.ts.
DROP INDEX "audit_log_tenant_id_at_id_index";--> statement-breakpoint
DROP INDEX "agents_tenant_created_idx";--> statement-breakpoint
DROP INDEX "calls_tenant_started_idx";--> statement-breakpoint
DROP INDEX "calls_tenant_agent_started_idx";--> statement-breakpoint
DROP INDEX "leads_tenant_created_idx";--> statement-breakpoint
DROP INDEX "leads_tenant_status_created_idx";--> statement-breakpoint
DROP INDEX "engagements_tenant_created_idx";--> statement-breakpoint
DROP INDEX "engagements_tenant_status_created_idx";--> statement-breakpoint
DROP INDEX "engagements_tenant_channel_created_idx";--> statement-breakpoint
CREATE INDEX "calls_tenant_status_started_idx" ON "calls" USING btree ("tenant_id","status","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_tenant_id_at_id_index" ON "audit_log" USING btree ("tenant_id","at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "agents_tenant_created_idx" ON "agents" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_tenant_started_idx" ON "calls" USING btree ("tenant_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_tenant_agent_started_idx" ON "calls" USING btree ("tenant_id","agent_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_tenant_created_idx" ON "leads" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_tenant_status_created_idx" ON "leads" USING btree ("tenant_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "engagements_tenant_created_idx" ON "engagements" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "engagements_tenant_status_created_idx" ON "engagements" USING btree ("tenant_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "engagements_tenant_channel_created_idx" ON "engagements" USING btree ("tenant_id","channel","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);