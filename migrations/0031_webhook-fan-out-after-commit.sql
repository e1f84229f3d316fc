-- The webhook outbox writes ONE row per event in the sender's transaction; the deliveries (a row per subscribed
-- endpoint) are queued after the commit by the dispatchers' fan-out. The send paths (messages.send and every other
-- procedure that records an event) used to insert a delivery per endpoint — each with its queue trigger (advisory
-- lock, sequence, look-up) and three foreign-key checks — inside their own transaction: with 10 subscribed endpoints
-- that cost messages.send 24 % of its throughput (issue #14, bench/README.md). The fan-out queues many events'
-- deliveries with one statement, off the request's path.
--
-- Order: the deliveries of one event key (engagement, call, lead) to one endpoint are sent in commit order (the
-- queues of migration 0028). An event now draws `fan_out_seq` under a transaction-scoped advisory lock on its key,
-- held until its commit, so per key `fan_out_seq` order is commit order, and a snapshot that sees an event of a key
-- sees every earlier one of that key. The fan-out runs one at a time (a lock of its own), reads the waiting events
-- in `fan_out_seq` order and inserts their deliveries ordered by endpoint, then event: the queue trigger draws the
-- deliveries' `seq` in that order.
--
-- Adding nullable columns is a catalog change. The fan-out's index is built CONCURRENTLY by the online step 0031
-- (packages/db/src/online-migrations/0031-webhook-fan-out.ts). Events written before this migration, or by an older
-- release during a rolling deploy, have no `fan_out_seq`: their deliveries were queued with them, as before.
ALTER TABLE "webhook_events" ADD COLUMN "order_key" uuid;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "fan_out_seq" bigint;--> statement-breakpoint
CREATE SEQUENCE public.webhook_events_fan_out_seq;--> statement-breakpoint
GRANT USAGE ON SEQUENCE public.webhook_events_fan_out_seq TO switchboard_app;--> statement-breakpoint

-- next_webhook_event_seq(tenant, order_key): the event's place, drawn under its key's lock (none for an unordered
-- event). Runs as the caller (the outbox: the app role in the tenant's scope). plpgsql, not sql: a multi-statement
-- sql function is planned again at every call, which cost more than the rest of the outbox statement.
CREATE FUNCTION public.next_webhook_event_seq(tenant uuid, order_key uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  IF order_key IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('webhook_events key'), hashtext(tenant::text || order_key::text));
  END IF;
  RETURN nextval('public.webhook_events_fan_out_seq'::regclass);
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.next_webhook_event_seq(uuid, uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.next_webhook_event_seq(uuid, uuid) TO switchboard_app;--> statement-breakpoint

-- fan_out_webhook_events(max_count): queues the deliveries of up to max_count waiting events of every tenant, one
-- per endpoint that is enabled, subscribed to the event's type and was created before the event, and marks the
-- events fanned out; answers how many events it took. Like claim_webhook_deliveries it must see every tenant's rows,
-- so it runs as its owner, with policies for that role only; it writes nothing the events do not name (each
-- delivery's tenant is its event's, and the endpoint is matched within that tenant). One fan-out at a time: the
-- others wait for its commit, then (a later statement, so a fresh snapshot) find what it left. The events are
-- row-locked, so an erasure or purge deleting one meanwhile waits or is skipped.
CREATE POLICY "the fan-out reads and marks waiting events" ON "webhook_events" AS PERMISSIVE FOR UPDATE TO CURRENT_USER USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "the fan-out reads subscriptions" ON "webhook_endpoints" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);--> statement-breakpoint
CREATE FUNCTION public.fan_out_webhook_events(max_count integer) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  taken integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('webhook_events fan-out'));
  WITH batch AS MATERIALIZED (
    SELECT e.tenant_id, e.id, e.type, e.order_key, e.fan_out_seq, e.created_at
      FROM webhook_events e
     WHERE e.fan_out_seq IS NOT NULL
     ORDER BY e.fan_out_seq
     LIMIT least(greatest(max_count, 1), 1000)
       FOR UPDATE
  ), marked AS (
    -- By the fan-out index (a join with the batch would be planned as a scan of every event).
    UPDATE webhook_events e SET fan_out_seq = NULL
     WHERE e.fan_out_seq = ANY (ARRAY(SELECT b.fan_out_seq FROM batch b))
  ), queued AS (
    INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key)
    SELECT b.tenant_id, w.id, b.id, b.type, b.order_key
      FROM batch b
      JOIN webhook_endpoints w
        ON w.tenant_id = b.tenant_id AND w.enabled AND b.type = ANY (w.events) AND w.created_at <= b.created_at
     ORDER BY w.id, b.fan_out_seq
  )
  SELECT count(*) INTO taken FROM batch;
  RETURN taken;
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.fan_out_webhook_events(integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION public.fan_out_webhook_events(integer) TO switchboard_app;
