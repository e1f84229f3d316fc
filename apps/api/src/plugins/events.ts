/**
 * Live engagement events for this app instance: one EventHub (one LISTEN connection) shared by every SSE
 * subscriber of this process, its metrics, and its shutdown. `preClose` ends the streams before the HTTP server
 * stops accepting, so `app.close()` (graceful shutdown) is not held open by long-lived SSE responses.
 * Per tenant, the hub runs one shared read per wake-up for all of that tenant's streams, and re-checks their
 * access in one batch every `recheckMs` (tests shorten it through `app.events.recheckMs`).
 */
import fp from "fastify-plugin";
import { Gauge, Histogram } from "prom-client";
import { ENGAGEMENT_EVENTS_CHANNEL, EventHub } from "@switchboard/trpc";

declare module "fastify" {
  interface FastifyInstance {
    events: EventHub;
  }
}

export default fp<{ maxPerUser: number; recheckMs?: number }>(async function events(app, opts) {
  const lag = new Histogram({
    name: "switchboard_event_fanout_lag_seconds",
    help: "Seconds from an engagement event's commit to its delivery to an SSE subscriber",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30],
    registers: [app.metrics.registry],
  });
  const hub = new EventHub(app.db, {
    channel: ENGAGEMENT_EVENTS_CHANNEL,
    maxPerUser: opts.maxPerUser,
    // Access of open streams is re-checked per tenant on this interval, not per event: a revoked session / API
    // key or a removed member may see up to this long of further events (default 10 s; see lib/event-hub.ts).
    ...(opts.recheckMs !== undefined ? { recheckMs: opts.recheckMs } : {}),
    onError: (err, what) => app.log.warn({ err }, `live events: shared ${what} failed (retrying)`),
    onDelivered: (seconds) => lag.observe(seconds),
  });
  new Gauge({
    name: "switchboard_sse_subscribers",
    help: "Open engagements.onEvent streams in this process",
    registers: [app.metrics.registry],
    collect() {
      this.set(hub.size);
    },
  });
  app.decorate("events", hub);
  // LISTEN before serving, so the first subscriber does not wait for it.
  app.addHook("onReady", () => hub.start());
  // Ends the streams; their connections stay open for reuse (plugins/connections.ts closes them on shutdown).
  app.addHook("preClose", () => hub.close());
});
