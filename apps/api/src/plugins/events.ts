/**
 * Live engagement events for this app instance: one EventHub (one LISTEN connection) shared by every SSE
 * subscriber of this process, its metrics, its shutdown, and the HTTP route that streams `engagements.onEvent`.
 * `preClose` ends the streams before the HTTP server stops accepting, so `app.close()` (graceful shutdown) is not
 * held open by long-lived SSE responses. Per tenant, the hub runs one shared read per wake-up for all of that
 * tenant's streams, and re-checks their access in one batch every `recheckMs` (tests shorten it through
 * `app.events.recheckMs`).
 *
 * **Why this route writes the Server-Sent Events itself** instead of leaving `/trpc/engagements.onEvent` to the tRPC
 * adapter: the adapter turns every event of every stream into a chain of async generators and web streams (ping
 * race, SSE transform, text encoder, abort wrapper, Fastify's reader) and several socket writes. A message in a
 * tenant with 100 open streams cost ~10× more CPU that way than one frame written per stream, and the last
 * subscriber waited for all of it (bench/README.md, "Conversations", live messages). Here an event is serialised
 * once per process and written to each stream in one write. Everything else is tRPC's: the procedure runs through
 * `callTRPCProcedure` with the adapter's context (admission, budget, audit, metrics are its middlewares), and the
 * wire format is the adapter's byte for byte (`connected` with the client options, `data`/`id` per tracked event,
 * `ping` after `sse.ping.intervalMs` of silence, `serialized-error` with the formatted error shape inside a 200,
 * `return` when the stream ends), so `httpSubscriptionLink` clients (dashboard, SDK) cannot tell the difference.
 * Depends on @trpc/server 11.22's SSE format (sse.ts in its source); apps/api/test/events.test.ts reads it with
 * the SDK's client. Other methods, batches and other paths still go to the adapter (`/trpc/:path`).
 */
import { Readable } from "node:stream";
import fp from "fastify-plugin";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Gauge, Histogram } from "prom-client";
import {
  callTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  isTrackedEnvelope,
  TRPCError,
} from "@trpc/server";
import { appRouter, type Context, ENGAGEMENT_EVENTS_CHANNEL, EventHub } from "@switchboard/trpc";

declare module "fastify" {
  interface FastifyInstance {
    events: EventHub;
  }
}

const PATH = "engagements.onEvent";
const config = appRouter._def._config;
/** The adapter's SSE response headers (tRPC's `sseHeaders`). */
const sseHeaders = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};
const pingMs = config.sse?.ping?.enabled ? (config.sse.ping.intervalMs ?? 1000) : 0;
const connectedFrame = `event: connected\ndata: ${JSON.stringify(config.sse?.client ?? {})}\n\n\n`;
const pingFrame = Buffer.from("event: ping\ndata: \n\n\n");
const returnFrame = "event: return\ndata: \n\n\n";

/**
 * The frame of a tracked event, built once per event per process: the hub hands the same event object to every
 * stream of its tenant (one shared read), so the first stream serialises it and the others reuse the bytes.
 */
const frames = new WeakMap<object, Buffer>();
function frameOf(id: string, data: unknown): Buffer {
  const key = typeof data === "object" && data !== null ? data : null;
  const known = key && frames.get(key);
  if (known) return known;
  const frame = Buffer.from(`data: ${JSON.stringify(config.transformer.output.serialize(data))}\nid: ${id}\n\n\n`);
  if (key) frames.set(key, frame);
  return frame;
}

/** The response body: frames pushed as they come; `send` waits while the client is slow (the socket is full). */
export class SseBody extends Readable {
  /** Sends waiting for room: a ping may be waiting when an event's frame comes, and both must be released. */
  private waiting: (() => void)[] = [];
  constructor() {
    super();
    this.once("close", () => this.release());
  }
  override _read() {
    this.release();
  }
  private release() {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
  /** Resolves once the frame is queued and the client keeps up, or at once if the response is gone. */
  send(frame: string | Buffer): Promise<void> | void {
    if (this.destroyed || this.readableEnded) return;
    if (this.push(frame)) return;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }
}

/** `?input=` and Last-Event-ID (header or query) as the adapter reads them for a subscription. */
function inputOf(req: FastifyRequest): { input: unknown; lastEventId: string | null } {
  const query = new URL(req.url, "http://localhost").searchParams;
  const raw = query.get("input");
  let input: unknown;
  try {
    input = raw === null ? undefined : config.transformer.input.deserialize(JSON.parse(raw));
  } catch (cause) {
    throw new TRPCError({ code: "PARSE_ERROR", cause });
  }
  const header = req.headers["last-event-id"];
  const lastEventId = (Array.isArray(header) ? header[0] : header) ?? query.get("lastEventId") ?? query.get("Last-Event-Id");
  if (!lastEventId) return { input, lastEventId: null };
  if (typeof input === "object" && input !== null && !Array.isArray(input)) return { input: { ...input, lastEventId }, lastEventId };
  return { input: input ?? { lastEventId }, lastEventId };
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

  // GET only (no automatic HEAD): any other method still reaches the adapter, which refuses it as before.
  app.get(`/trpc/${PATH}`, { exposeHeadRoute: false }, async (req: FastifyRequest, reply: FastifyReply) => {
    const { createContext, reportError } = app.trpcCall;
    // The client going away ends the subscription (the hub releases its slot on this signal).
    const abort = new AbortController();
    reply.raw.once("close", () => abort.abort());
    let input: unknown;
    let requestedId: string | null;
    let ctx: Context;
    try {
      ({ input, lastEventId: requestedId } = inputOf(req));
      ctx = await createContext(req, reply);
    } catch (cause) {
      // As the adapter: a request it cannot read, or no context, is a plain JSON error, not a stream.
      const error = getTRPCErrorFromUnknown(cause);
      reportError(error, PATH, req);
      const shape = getTRPCErrorShape({ config, error, type: "unknown", path: PATH, input: undefined, ctx: undefined });
      return reply.code(shape.data.httpStatus).type("application/json").send(JSON.stringify({ error: shape }));
    }
    const errorFrame = (cause: unknown) => {
      const error = getTRPCErrorFromUnknown(cause);
      reportError(error, PATH, req);
      const shape = getTRPCErrorShape({ config, error, type: "subscription", path: PATH, input, ctx });
      return `event: serialized-error\ndata: ${JSON.stringify(config.transformer.output.serialize(shape))}\n\n\n`;
    };

    // Admission (and any refusal) happens before the response starts, so a refusal's Retry-After is a header.
    let events: AsyncIterable<unknown> | null = null;
    let refused: string | null = null;
    try {
      const result: unknown = await callTRPCProcedure({
        router: appRouter,
        path: PATH,
        getRawInput: async () => input,
        ctx,
        type: "subscription",
        signal: abort.signal,
        batchIndex: 0,
      });
      if (!result || typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== "function") {
        throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: `Subscription ${PATH} did not return an AsyncGenerator` });
      }
      events = result as AsyncIterable<unknown>;
    } catch (cause) {
      refused = errorFrame(cause);
    }

    const body = new SseBody();
    let lastWrite = Date.now();
    // Writes waiting for the client (a ping's and an event's may overlap): no ping while any waits.
    let writing = 0;
    const write = async (frame: string | Buffer) => {
      writing += 1;
      try {
        await body.send(frame);
      } finally {
        writing -= 1;
      }
      lastWrite = Date.now();
    };
    void (async () => {
      await write(connectedFrame);
      if (!events) {
        await write(refused!);
        body.push(null);
        return;
      }
      // A ping after `pingMs` without a frame keeps proxies and the client's inactivity timer from closing the stream.
      const ping = pingMs > 0 ? setInterval(() => writing === 0 && Date.now() - lastWrite >= pingMs && void write(pingFrame), pingMs / 2) : null;
      ping?.unref();
      let lastEventId = requestedId && !/[\0\n\r]/.test(requestedId) ? requestedId : null;
      try {
        for await (const value of events) {
          if (abort.signal.aborted) break;
          if (isTrackedEnvelope(value)) {
            lastEventId = value[0];
            await write(frameOf(value[0], value[1]));
          } else {
            // An untracked value (not sent by this procedure today): as the adapter, keep the client's last id.
            const data = `data: ${JSON.stringify(config.transformer.output.serialize(value))}\n`;
            await write(lastEventId === null ? `${data}\n\n` : `${data}id: \n\n\nevent: restore-id\ndata: \nid: ${lastEventId}\n\n\n`);
          }
        }
        if (!abort.signal.aborted) await write(returnFrame);
      } catch (cause) {
        if (!abort.signal.aborted) await write(errorFrame(cause));
      } finally {
        if (ping) clearInterval(ping);
        if (!body.destroyed) body.push(null);
      }
    })();
    return reply.headers(sseHeaders).send(body);
  });
});
