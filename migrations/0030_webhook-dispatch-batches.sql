-- The dispatcher's batches, one statement each: reading a claimed batch, and recording a batch of successes. Both
-- used to be two statements per tenant sent by the dispatcher (the tenant's scope, then its statement): with
-- deliveries spread over many tenants that was four statements, four replies and their wake-ups per delivery, the
-- largest share of the dispatcher's database CPU (issue #14, packages/jobs/bench/README.md).
--
-- These functions run the same per-tenant statements in the same order, server-side. They are SECURITY INVOKER: they
-- run as the caller (the app role), so row-level security applies to every statement, and each tenant's statements
-- run in that tenant's scope (`app.tenant_id`, set transaction-locally as with-tenant.ts does) and also name the
-- tenant in their WHERE clause, as before. The caller's scope is put back before they return. They give the app role
-- nothing it could not do with its own statements.
--
-- webhook_deliveries_to_send(claimed): claimed = [{tenant_id, id}, …] (claim_webhook_deliveries' rows as json):
-- those deliveries with what sending them needs (their endpoint and event).
CREATE FUNCTION public.webhook_deliveries_to_send(claimed jsonb)
RETURNS TABLE (id uuid, tenant_id uuid, webhook_id uuid, event_id uuid, event_type text, order_key uuid,
               status webhook_delivery_status, attempts integer, created_at timestamptz, url text, enabled boolean,
               secret_ciphertext text, failing_since timestamptz, data jsonb, event_created_at timestamptz)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  caller_scope text := coalesce(current_setting('app.tenant_id', true), '');
  tenant uuid;
  ids uuid[];
BEGIN
  FOR tenant, ids IN
    SELECT (c->>'tenant_id')::uuid, array_agg((c->>'id')::uuid) FROM jsonb_array_elements(claimed) c GROUP BY 1
  LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    RETURN QUERY
      SELECT d.id, d.tenant_id, d.webhook_id, d.event_id, d.event_type, d.order_key, d.status, d.attempts, d.created_at,
             w.url, w.enabled, w.secret_ciphertext, w.failing_since, e.data, e.created_at
        FROM webhook_deliveries d
        JOIN webhook_endpoints w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
        JOIN webhook_events e ON e.tenant_id = d.tenant_id AND e.id = d.event_id
       WHERE d.tenant_id = tenant AND d.id = ANY (ids);
  END LOOP;
  PERFORM set_config('app.tenant_id', caller_scope, true);
END
$$;--> statement-breakpoint

-- record_webhook_deliveries_sent(outcomes, wait_for_locks):
-- outcomes = [{tenant_id, id, attempts, status_code, webhook_id, order_key}, …], each a delivery its endpoint
-- answered with a 2xx. Per tenant, as the caller (the app role) in that tenant's scope: takes the queues' locks
-- (pg_try_advisory_xact_lock unless `wait_for_locks`, then by a statement of its own first, so the recording
-- statement's snapshot sees what the lock's previous holder committed) and records the successes whose lock it got.
-- Answers the ids of the others (their queue was busy: the caller records them again, waiting). The caller's scope
-- is put back before it returns.
CREATE FUNCTION public.record_webhook_deliveries_sent(outcomes jsonb, wait_for_locks boolean)
RETURNS SETOF uuid
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
  caller_scope text := coalesce(current_setting('app.tenant_id', true), '');
  tenant uuid;
  items jsonb;
BEGIN
  FOR tenant, items IN
    SELECT (o->>'tenant_id')::uuid, jsonb_agg(o) FROM jsonb_array_elements(outcomes) o GROUP BY 1
  LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    IF wait_for_locks THEN
      PERFORM lock_webhook_queue(tenant, k.webhook_id, k.order_key)
         FROM (SELECT DISTINCT o.webhook_id, o.order_key
                 FROM jsonb_to_recordset(items) AS o(webhook_id uuid, order_key uuid)
                WHERE o.order_key IS NOT NULL
                ORDER BY 1, 2) k;
    END IF;
    RETURN QUERY
      WITH u AS MATERIALIZED (
        SELECT o.id, o.attempts, o.status_code,
               (wait_for_locks OR o.order_key IS NULL OR try_lock_webhook_queue(tenant, o.webhook_id, o.order_key)) AS got
          FROM jsonb_to_recordset(items)
               AS o(id uuid, attempts integer, status_code integer, webhook_id uuid, order_key uuid)
      ), recorded AS (
        UPDATE webhook_deliveries d
           SET status = 'delivered', attempts = u.attempts, last_status_code = u.status_code, last_error = NULL,
               delivered_at = now(), lease_until = NULL
          FROM u
         WHERE d.tenant_id = tenant AND d.id = u.id AND u.got
      )
      SELECT u.id FROM u WHERE NOT u.got;
  END LOOP;
  PERFORM set_config('app.tenant_id', caller_scope, true);
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.webhook_deliveries_to_send(jsonb), public.record_webhook_deliveries_sent(jsonb, boolean) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.webhook_deliveries_to_send(jsonb), public.record_webhook_deliveries_sent(jsonb, boolean) TO switchboard_app;--> statement-breakpoint

-- The insert trigger runs as the inserter (SECURITY INVOKER, names schema-qualified, no SET clause): switching to
-- the owner and setting search_path on every insert cost more than the trigger's own statements. Whoever inserts
-- a delivery can see its queue: the app role only inserts inside the delivery's tenant scope (the policy's WITH
-- CHECK), and the owner has its own policy on the table (migration 0019). The dequeued trigger stays SECURITY
-- DEFINER: a cascade or the purge deletes deliveries outside any tenant scope.
CREATE OR REPLACE FUNCTION public.webhook_delivery_enqueued() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
BEGIN
  PERFORM public.lock_webhook_queue(NEW.tenant_id, NEW.webhook_id, NEW.order_key);
  NEW.seq := nextval('public.webhook_deliveries_seq_seq'::regclass);
  NEW.ready := NOT EXISTS (
    SELECT 1 FROM public.webhook_deliveries
     WHERE tenant_id = NEW.tenant_id AND webhook_id = NEW.webhook_id AND order_key = NEW.order_key AND status = 'pending');
  RETURN NEW;
END
$$;
