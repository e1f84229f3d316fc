-- The dispatcher's statements find rows by key, whatever the statistics (issue #14, bench/README.md "Webhooks,
-- fourth pass").
--
-- The webhook tables start empty and grow by thousands of rows a second under load. The per-row statements of the
-- delivery path (recording a success, handing `ready` to the next delivery of a queue, the fan-out's queue check and
-- its foreign-key checks) are cached plans, planned once per connection; planned while a table was small, they
-- read it sequentially, and kept doing so as it grew, until the next ANALYZE. In the bench (1,000 events/s) the
-- dispatcher's statements read 326 million rows of webhook_deliveries and 134 million of webhook_events in one
-- minute: a fan-out took up to 1.6 s and a batch of successes up to 0.7 s, and deliveries fell 30 s behind. Two of
-- them also matched a batch's ids with a join the planner could answer by reading all of a tenant's rows: recording
-- 100 successes read all of the tenant's deliveries, and reading a claimed batch all of its events and of its
-- endpoint's deliveries; those rows are kept for 30 days.
--
-- Now:
-- - each success is one UPDATE by primary key (tenant_id, id), and a claimed batch is read one delivery at a time,
--   its endpoint and event by key (LATERAL subqueries with LIMIT 1, which the planner keeps as parameterised
--   look-ups instead of flattening them into joins it may hash);
-- - the delivery path's functions and the queue triggers plan with `enable_seqscan = off`, as the purge does
--   (migration 0027): every statement they run, the foreign-key checks of the fan-out's insert included, has an
--   index led by the columns it matches, so they never depend on how big the planner last saw a table.
-- Same results, same scopes, same locks; the batch functions stay SECURITY INVOKER.

CREATE OR REPLACE FUNCTION public.webhook_deliveries_to_send(claimed jsonb)
RETURNS TABLE (id uuid, tenant_id uuid, webhook_id uuid, event_id uuid, event_type text, order_key uuid,
               status webhook_delivery_status, attempts integer, created_at timestamptz, url text, enabled boolean,
               secret_ciphertext text, failing_since timestamptz, data jsonb, event_created_at timestamptz)
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp SET enable_seqscan = off
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
        FROM unnest(ids) AS k(id)
        CROSS JOIN LATERAL (
          SELECT * FROM webhook_deliveries x WHERE x.tenant_id = tenant AND x.id = k.id LIMIT 1) d
        CROSS JOIN LATERAL (
          SELECT * FROM webhook_endpoints x WHERE x.tenant_id = tenant AND x.id = d.webhook_id LIMIT 1) w
        CROSS JOIN LATERAL (
          SELECT * FROM webhook_events x WHERE x.tenant_id = tenant AND x.id = d.event_id LIMIT 1) e;
  END LOOP;
  PERFORM set_config('app.tenant_id', caller_scope, true);
END
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION public.record_webhook_deliveries_sent(outcomes jsonb, wait_for_locks boolean)
RETURNS SETOF uuid
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp SET enable_seqscan = off
AS $$
DECLARE
  caller_scope text := coalesce(current_setting('app.tenant_id', true), '');
  tenant uuid;
  items jsonb;
  o record;
BEGIN
  FOR tenant, items IN
    SELECT (x->>'tenant_id')::uuid, jsonb_agg(x) FROM jsonb_array_elements(outcomes) x GROUP BY 1
  LOOP
    PERFORM set_config('app.tenant_id', tenant::text, true);
    IF wait_for_locks THEN
      PERFORM lock_webhook_queue(tenant, k.webhook_id, k.order_key)
         FROM (SELECT DISTINCT i.webhook_id, i.order_key
                 FROM jsonb_to_recordset(items) AS i(webhook_id uuid, order_key uuid)
                WHERE i.order_key IS NOT NULL
                ORDER BY 1, 2) k;
    END IF;
    FOR o IN
      SELECT * FROM jsonb_to_recordset(items) AS i(id uuid, attempts integer, status_code integer, webhook_id uuid, order_key uuid)
    LOOP
      IF wait_for_locks OR o.order_key IS NULL OR try_lock_webhook_queue(tenant, o.webhook_id, o.order_key) THEN
        UPDATE webhook_deliveries
           SET status = 'delivered', attempts = o.attempts, last_status_code = o.status_code, last_error = NULL,
               delivered_at = now(), lease_until = NULL
         WHERE tenant_id = tenant AND id = o.id;
      ELSE
        RETURN NEXT o.id;
      END IF;
    END LOOP;
  END LOOP;
  PERFORM set_config('app.tenant_id', caller_scope, true);
END
$$;--> statement-breakpoint

ALTER FUNCTION public.fan_out_webhook_events(integer) SET enable_seqscan = off;--> statement-breakpoint
ALTER FUNCTION public.claim_webhook_deliveries(integer, integer) SET enable_seqscan = off;--> statement-breakpoint
ALTER FUNCTION public.webhook_delivery_enqueued() SET enable_seqscan = off;--> statement-breakpoint
ALTER FUNCTION public.webhook_delivery_dequeued() SET enable_seqscan = off;
