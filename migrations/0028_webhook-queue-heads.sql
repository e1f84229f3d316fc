-- Webhook deliveries of one (tenant, endpoint, order key) form a queue sent in commit order. The dispatcher used to
-- find the due first-of-queue deliveries by walking every due pending delivery and skipping those with an earlier
-- pending one (an anti-join probe each), so with a backlog every claim walked the backlog (15 ms for a claim that
-- found nothing on 10,000 queued deliveries; bench/README.md, issue #14). Now each pending delivery says whether it
-- is first of its queue (`ready`) and the claim reads only those.
--
-- `ready` is kept by the triggers below, whoever writes the table (the outbox, a redelivery, a cascade from a deleted
-- event, the purge, an older release during a rolling deploy), under a transaction-scoped advisory lock on the queue:
-- - on insert of an ordered pending delivery: take the queue's lock, then (a later statement, so a fresh READ
--   COMMITTED snapshot that sees every delivery committed before the lock was granted) ready := no delivery of the
--   queue is pending. `seq` is drawn under the lock as well, so `seq` order is lock order, which is commit order (the
--   lock is held until commit): the order the claim function's guard checks is the order `ready` follows.
-- - when the first of a queue stops being pending (delivered, failed for good, deleted): take the queue's lock, then
--   make the queue's lowest-`seq` pending delivery ready. (A waiting one that goes, e.g. with an erased event, leaves
--   the first in place: nothing to hand on, and a bulk delete takes no lock for it.)
-- The race this closes: an insert that sees the first delivery still pending (not ready) against that delivery
-- completing and finding no successor because the insert has not committed. Whichever takes the lock second waits
-- for the other's commit and then sees its row. A retry stays pending, so it stays first of its queue.
-- The dispatcher records its batch of successes with pg_try_advisory_xact_lock on each queue first and leaves the
-- busy ones to a transaction of their own (delivery-batches.ts), so it never waits on a lock while holding another.
--
-- Adding the column with a constant default is a catalog change (no rewrite). Rows written before this migration
-- read ready = true; the claim keeps its check against an earlier pending delivery, so they are still sent in order,
-- and the online step 0028 (packages/db/src/online-migrations/0028-webhook-queue-heads.ts) builds the new due index
-- CONCURRENTLY, drops the old one, and marks the waiting ones of the queues pending at upgrade not ready.
ALTER TABLE "webhook_deliveries" ADD COLUMN "ready" boolean DEFAULT true NOT NULL;--> statement-breakpoint

-- The queue's lock: two-key advisory locks (a key space apart from pg-boss's one-key locks), held until commit.
CREATE FUNCTION public.lock_webhook_queue(tenant uuid, webhook uuid, order_key uuid) RETURNS void
LANGUAGE sql VOLATILE
AS $$
  SELECT pg_advisory_xact_lock(hashtext('webhook_deliveries queue'), hashtext(tenant::text || webhook::text || order_key::text))
$$;--> statement-breakpoint
CREATE FUNCTION public.try_lock_webhook_queue(tenant uuid, webhook uuid, order_key uuid) RETURNS boolean
LANGUAGE sql VOLATILE
AS $$
  SELECT pg_try_advisory_xact_lock(hashtext('webhook_deliveries queue'), hashtext(tenant::text || webhook::text || order_key::text))
$$;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.lock_webhook_queue(uuid, uuid, uuid), public.try_lock_webhook_queue(uuid, uuid, uuid) TO switchboard_app;--> statement-breakpoint

-- The triggers run as their owner (this migration's role, which has its own policy on webhook_deliveries since 0019):
-- a delivery deleted by a cascade or the purge runs them outside any tenant scope. They only ever touch the queue of
-- the row that fired them.
CREATE FUNCTION public.webhook_delivery_enqueued() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM lock_webhook_queue(NEW.tenant_id, NEW.webhook_id, NEW.order_key);
  NEW.seq := nextval('webhook_deliveries_seq_seq');
  NEW.ready := NOT EXISTS (
    SELECT 1 FROM webhook_deliveries
     WHERE tenant_id = NEW.tenant_id AND webhook_id = NEW.webhook_id AND order_key = NEW.order_key AND status = 'pending');
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE FUNCTION public.webhook_delivery_dequeued() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM lock_webhook_queue(OLD.tenant_id, OLD.webhook_id, OLD.order_key);
  UPDATE webhook_deliveries SET ready = true
   WHERE tenant_id = OLD.tenant_id AND NOT ready AND id = (
     SELECT id FROM webhook_deliveries
      WHERE tenant_id = OLD.tenant_id AND webhook_id = OLD.webhook_id AND order_key = OLD.order_key AND status = 'pending'
      ORDER BY seq LIMIT 1);
  RETURN NULL;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.webhook_delivery_enqueued(), public.webhook_delivery_dequeued() FROM PUBLIC;--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_enqueued BEFORE INSERT ON "webhook_deliveries" FOR EACH ROW
  WHEN (NEW.status = 'pending' AND NEW.order_key IS NOT NULL) EXECUTE FUNCTION webhook_delivery_enqueued();--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_dequeued AFTER UPDATE OF status ON "webhook_deliveries" FOR EACH ROW
  WHEN (OLD.status = 'pending' AND NEW.status <> 'pending' AND OLD.order_key IS NOT NULL AND OLD.ready) EXECUTE FUNCTION webhook_delivery_dequeued();--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_dequeued_by_delete AFTER DELETE ON "webhook_deliveries" FOR EACH ROW
  WHEN (OLD.status = 'pending' AND OLD.order_key IS NOT NULL AND OLD.ready) EXECUTE FUNCTION webhook_delivery_dequeued();--> statement-breakpoint

-- The claim reads the first of each queue only (webhook_deliveries_ready_idx once the online step has built it).
-- The check against an earlier pending delivery stays: it costs one index probe per candidate now, and it keeps rows
-- written before this migration (ready = true until the online step) in order.
CREATE OR REPLACE FUNCTION public.claim_webhook_deliveries(max_count integer, lease_seconds integer)
RETURNS TABLE (tenant_id uuid, id uuid)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  UPDATE webhook_deliveries d
     SET lease_until = now() + make_interval(secs => lease_seconds)
   WHERE (d.tenant_id, d.id) IN (
     SELECT c.tenant_id, c.id
       FROM webhook_deliveries c
      WHERE c.status = 'pending' AND c.ready
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
$$;
