-- Integrations: FORCE row-level security on the new tenant tables, least-privilege grants for the app role,
-- updated_at maintenance, the job queues, and the webhook dispatcher's claim function.
ALTER TABLE "webhook_endpoints" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "integrations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "ai_usage" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

-- Endpoints and credentials are managed by admins; events and deliveries are written with the change, updated by
-- the dispatcher and pruned by a schedule; AI usage is appended and pruned.
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_endpoints", "webhook_deliveries", "integrations" TO switchboard_app;--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "webhook_events", "ai_usage" TO switchboard_app;--> statement-breakpoint
GRANT USAGE ON SEQUENCE "webhook_deliveries_seq_seq" TO switchboard_app;--> statement-breakpoint

CREATE TRIGGER webhook_endpoints_touch BEFORE UPDATE ON "webhook_endpoints" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_touch BEFORE UPDATE ON "webhook_deliveries" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint
CREATE TRIGGER integrations_touch BEFORE UPDATE ON "integrations" FOR EACH ROW EXECUTE FUNCTION touch_updated_at();--> statement-breakpoint

SELECT pgboss.create_queue('ai.reply', '{"policy":"standard"}');--> statement-breakpoint
SELECT pgboss.create_queue('webhooks.prune', '{"policy":"standard"}');--> statement-breakpoint

-- The dispatcher must find due deliveries of every tenant, which the app role cannot see outside a tenant's scope.
-- This function (run as its owner) leases up to `max_count` of them and answers (tenant_id, id) only; each
-- delivery is then read and sent as the app role inside its tenant's scope. A delivery waits while an earlier one
-- of the same thing (order_key) to the same endpoint is still pending: receivers see commit order per engagement.
-- The owner is subject to FORCE ROW LEVEL SECURITY too (unless it is a superuser), hence its own policy, for the
-- role running this migration only.
CREATE POLICY "the dispatcher function leases due deliveries" ON "webhook_deliveries" AS PERMISSIVE FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE FUNCTION public.claim_webhook_deliveries(max_count integer, lease_seconds integer)
RETURNS TABLE (tenant_id uuid, id uuid)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  UPDATE webhook_deliveries d
     SET lease_until = now() + make_interval(secs => lease_seconds)
   WHERE (d.tenant_id, d.id) IN (
     SELECT c.tenant_id, c.id
       FROM webhook_deliveries c
      WHERE c.status = 'pending'
        AND c.next_attempt_at <= now()
        AND (c.lease_until IS NULL OR c.lease_until < now())
        AND NOT EXISTS (
          SELECT 1 FROM webhook_deliveries e
           WHERE e.status = 'pending' AND e.tenant_id = c.tenant_id AND e.webhook_id = c.webhook_id
             AND e.order_key = c.order_key AND e.seq < c.seq)
      ORDER BY c.next_attempt_at
      LIMIT least(greatest(max_count, 1), 500)
      FOR UPDATE SKIP LOCKED)
  RETURNING d.tenant_id, d.id
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.claim_webhook_deliveries(integer, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.claim_webhook_deliveries(integer, integer) TO switchboard_app;
