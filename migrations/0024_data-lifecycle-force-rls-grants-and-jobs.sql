-- Data lifecycle (contract v2): exports, retention, archive → grace → purge, suspension.
ALTER TABLE "exports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "exports" TO switchboard_app;--> statement-breakpoint
SELECT pgboss.create_queue('exports.run', '{"policy":"standard"}');--> statement-breakpoint
SELECT pgboss.create_queue('exports.expire', '{"policy":"standard"}');--> statement-breakpoint
SELECT pgboss.create_queue('retention.run', '{"policy":"standard"}');--> statement-breakpoint
SELECT pgboss.create_queue('retention.tenant', '{"policy":"standard"}');--> statement-breakpoint
SELECT pgboss.create_queue('purge.due', '{"policy":"standard"}');--> statement-breakpoint
SELECT pgboss.create_queue('purge.tenant', '{"policy":"standard"}');--> statement-breakpoint

-- The owner's functions below read and delete across tenants through FORCE ROW LEVEL SECURITY (see 0021): each needs a
-- policy of its own, for the role running the migrations only. Finding work reads tenants and exports; the purge
-- sees and deletes only the rows of the tenant it was called for (app.purge_tenant_id, set by the function itself).
CREATE POLICY "the owner's lifecycle functions find tenants" ON "tenants" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE POLICY "the owner's purge updates the purged tenant" ON "tenants" AS PERMISSIVE FOR UPDATE TO CURRENT_USER USING (id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant" ON "tenants" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's expiry function finds old exports" ON "exports" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "engagement_events" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "engagement_events" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "engagement_labels" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "engagement_labels" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "messages" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "messages" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "webhook_deliveries" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "webhook_deliveries" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "webhook_events" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "webhook_endpoints" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "webhook_endpoints" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "engagements" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "engagements" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "calls" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "calls" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "leads" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "leads" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "contact_handles" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "contact_handles" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "contacts" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "contacts" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "agents" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "agents" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "labels" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "labels" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "canned_responses" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "canned_responses" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "availability" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "availability" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "ai_usage" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "ai_usage" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "integrations" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "integrations" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "exports" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "invitations" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "invitations" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "api_keys" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "api_keys" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "request_budgets" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "request_budgets" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "email_outbox" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "email_outbox" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "audit_log" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "audit_log" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge sees the purged tenant's rows" ON "memberships" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "the owner's purge deletes the purged tenant's rows" ON "memberships" AS PERMISSIVE FOR DELETE TO CURRENT_USER USING (tenant_id = (select nullif(current_setting('app.purge_tenant_id', true), '')::uuid));--> statement-breakpoint

-- Tenants whose retention settings ask for something to be removed (the daily job then works in each one's scope).
CREATE FUNCTION public.tenants_with_retention()
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT id FROM tenants
  WHERE retention IS NOT NULL
    AND (jsonb_typeof(retention->'transcriptsDays') = 'number' OR jsonb_typeof(retention->'messagesDays') = 'number')
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.tenants_with_retention() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenants_with_retention() TO switchboard_app;--> statement-breakpoint

-- Tenants with export files past their date still in the store.
CREATE FUNCTION public.tenants_with_expired_exports()
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT DISTINCT tenant_id FROM exports WHERE expires_at < now() AND removed_at IS NULL AND storage_key IS NOT NULL
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.tenants_with_expired_exports() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenants_with_expired_exports() TO switchboard_app;--> statement-breakpoint

-- Archived tenants past their grace period, departments before their organisation (a department's row must go first).
CREATE FUNCTION public.tenants_due_for_purge()
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT id FROM tenants WHERE status = 'archived' AND purge_after <= now() ORDER BY parent_id IS NULL, purge_after
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.tenants_due_for_purge() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.tenants_due_for_purge() TO switchboard_app;--> statement-breakpoint

-- One short step of a tenant's purge: deletes up to p_limit rows of the first of its tables (leaves before what they
-- reference, so no cascade makes a step long) that still has rows, and answers which and how many; when none is
-- left, deletes the tenant row itself ('tenants', 1) — refused while a department of it remains. Refuses a tenant
-- that is not archived or still in its grace period, so calling it early or for a live tenant deletes nothing.
-- A test (packages/db/test/purge.test.ts) checks that every table with a tenant_id is in the list.
CREATE FUNCTION public.purge_tenant_batch(p_tenant uuid, p_limit integer)
RETURNS TABLE(table_name text, deleted integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  t text;
  n integer;
BEGIN
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100000 THEN
    RAISE EXCEPTION 'purge batch size must be 1..100000' USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM tenants WHERE id = p_tenant AND status = 'archived' AND purge_after <= now()) THEN
    RAISE EXCEPTION 'tenant is not archived past its grace period' USING ERRCODE = '55000';
  END IF;
  PERFORM set_config('app.purge_tenant_id', p_tenant::text, true);
  FOREACH t IN ARRAY ARRAY['engagement_events', 'engagement_labels', 'messages', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints', 'engagements', 'calls', 'leads', 'contact_handles', 'contacts', 'agents', 'labels', 'canned_responses', 'availability', 'ai_usage', 'integrations', 'exports', 'invitations', 'api_keys', 'request_budgets', 'email_outbox', 'audit_log', 'memberships'] LOOP
    EXECUTE format('DELETE FROM %I WHERE ctid = ANY (ARRAY(SELECT ctid FROM %I WHERE tenant_id = $1 LIMIT $2))', t, t)
      USING p_tenant, p_limit;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      table_name := t;
      deleted := n;
      RETURN NEXT;
      RETURN;
    END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM tenants WHERE parent_id = p_tenant) THEN
    RAISE EXCEPTION 'a department of this tenant is not purged yet' USING ERRCODE = '55000';
  END IF;
  DELETE FROM tenants WHERE id = p_tenant;
  table_name := 'tenants';
  deleted := 1;
  RETURN NEXT;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.purge_tenant_batch(uuid, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.purge_tenant_batch(uuid, integer) TO switchboard_app;
