/**
 * Live engagement events for this app instance: one EventHub (one LISTEN connection) shared by every SSE
 * subscriber of this process, its metrics, and its shutdown. `preClose` ends the streams before the HTTP server
 * stops accepting, so `app.close()` (graceful shutdown) is not held open by long-lived SSE responses.
 */
import fp from "fastify-plugin";
import { Gauge, Histogram } from "prom-client";
import { ENGAGEMENT_EVENTS_CHANNEL, EventHub } from "@switchboard/trpc";

declare module "fastify" {
  interface FastifyInstance {
    events: EventHub;
  }
}

export default fp<{ maxPerUser: number }>(async function events(app, opts) {
  const lag = new Histogram({
    name: "switchboard_event_fanout_lag_seconds",
    help: "Seconds from an engagement event's commit to its delivery to an SSE subscriber",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 30],
    registers: [app.metrics.registry],
  });
  const hub = new EventHub(app.db, {
    channel: ENGAGEMENT_EVENTS_CHANNEL,
    maxPerUser: opts.maxPerUser,
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
  app.addHook("preClose", () => hub.close());
  // A stream's connection is never reused: close it when its response ends, so a graceful shutdown finishes as
  // soon as the streams have ended instead of waiting for clients to drop keep-alive sockets. (tRPC writes
  // "connection: keep-alive" on the raw response itself, so the header cannot be changed here.)
  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET" || !request.url.startsWith("/trpc/engagements.onEvent")) return;
    reply.raw.once("finish", () => request.raw.socket?.end());
  });
});
