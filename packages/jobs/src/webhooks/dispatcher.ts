/**
 * The webhook dispatcher: sends the outbox's deliveries (outbox.ts) to their endpoints. Runs next to the job runner
 * in every worker process; any number may run, a delivery is sent by the one that leased it.
 *
 * - Wake-up: a NOTIFY at the commit of an event (LISTEN), a completed delivery (the next of its engagement may be
 *   due) and a poll every `pollMs` (retries coming due, missed notifications). Wake-ups while a claim is running
 *   fold into one more claim.
 * - Claim: `claim_webhook_deliveries(n, lease)` (owner function: due pending deliveries of every tenant, leased,
 *   never one whose earlier delivery of the same engagement/call/lead to the same endpoint is still pending) answers
 *   (tenant, id) pairs; everything else runs as the app role inside that tenant's scope.
 * - Limits: at most `concurrency` in flight in this process and `perEndpoint` per endpoint; a delivery claimed for an
 *   endpoint at its limit is handed back (lease cleared, due again a moment later).
 * - Send: read delivery + endpoint + event (one short transaction), open the sealed secret, sign, POST through
 *   `outboundRequest` (address rules checked again, pinned, `timeoutMs`, no redirects), then record the outcome in a
 *   second short transaction. No transaction stays open during the request (PGlite has one connection).
 * - Outcome: 2xx → delivered, the endpoint's failure run ends. Anything else → retried with jittered exponential
 *   backoff (`backoffMs`) until `retryWindowMs` after the delivery was queued, then failed; the endpoint's
 *   `failingSince` marks the first failure of a run, and a run longer than `disableAfterMs` disables the endpoint
 *   (reason stored) and mails the tenant's owners and admins, in the same transaction.
 * A dispatcher that dies mid-send leaves a lease that runs out: another one sends the delivery again (at least once).
 */
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import {
  type DbHandle,
  emailOutbox,
  memberships,
  tenants,
  type Tx,
  users,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  withScope,
} from "@switchboard/db";
import { enqueue } from "../enqueue";
import { renderMail } from "../mail/templates";
import { OutboundRequestError, outboundRequest, OutboundUrlError, type Resolver } from "../net/outbound";
import type { JobLog } from "../runner";
import { WEBHOOK_DELIVERIES_CHANNEL } from "./outbox";
import { webhookBody, webhookHeaders, webhookSecretContext } from "./sign";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** 30 s, 1 min, 2 min … doubling up to 1 h, each ±20 % (jitter spreads a burst of failures). */
export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(HOUR, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface WebhookDispatcherOptions {
  db: DbHandle;
  /** Opens the endpoints' sealed secrets (auth's SecretBox under ENCRYPTION_KEY). */
  secrets: { open(sealed: string, context: string): string };
  /** WEBHOOKS_ALLOW_HTTP_LOCALHOST. */
  allowHttpLocalhost: boolean;
  /** The dashboard URL of a tenant's page (for the mail sent when an endpoint is disabled). */
  tenantLink: (slug: string, path: string) => string;
  log: JobLog;
  /** Deliveries in flight at once in this process (default 64). */
  concurrency?: number;
  /** Deliveries in flight at once per endpoint in this process (default 8). */
  perEndpoint?: number;
  /** Poll interval, ms (default 1000). */
  pollMs?: number;
  /** One request's deadline, ms (default 10 s, the contract's). */
  timeoutMs?: number;
  /** Lease of a claimed delivery, seconds (default 60): after it another dispatcher may send it. */
  leaseSeconds?: number;
  backoffMs?: (attempt: number) => number;
  /** How long a delivery is retried after it was queued (default 24 h). */
  retryWindowMs?: number;
  /** How long an endpoint may fail before it is disabled (default 3 days). */
  disableAfterMs?: number;
  /** Tests resolve names their own way. */
  resolver?: Resolver;
  /** Called after each attempt (metrics, benchmarks). */
  onAttempt?: (a: { tenantId: string; deliveryId: string; ok: boolean; ms: number }) => void;
}

export interface WebhookDispatcher {
  /** Claims at once (what a NOTIFY does). */
  wake(): void;
  /** Stops claiming, waits up to `timeoutMs` for the requests in flight, drops the LISTEN. */
  stop(timeoutMs?: number): Promise<void>;
}

interface Claimed {
  tenantId: string;
  id: string;
}

export async function startWebhookDispatcher(opts: WebhookDispatcherOptions): Promise<WebhookDispatcher> {
  const concurrency = opts.concurrency ?? 64;
  const perEndpoint = opts.perEndpoint ?? 8;
  const leaseSeconds = opts.leaseSeconds ?? 60;
  let stopped = false;
  let claiming = false;
  let again = false;
  let inFlight = 0;
  const perEndpointInFlight = new Map<string, number>();
  const running = new Set<Promise<void>>();

  async function claim(): Promise<void> {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        const room = concurrency - inFlight;
        if (room <= 0 || stopped) break;
        const claimed = await withScope(opts.db, {}, async (tx) =>
          rowsOf<{ tenant_id: string; id: string }>(
            await tx.execute(sql`select tenant_id, id from claim_webhook_deliveries(${room}, ${leaseSeconds})`),
          ),
        );
        for (const c of claimed) start({ tenantId: c.tenant_id, id: c.id });
        if (claimed.length === room) again = true;
      } while (again && !stopped);
    } catch (err) {
      opts.log.error({ err }, "webhook claim failed");
    } finally {
      claiming = false;
    }
  }

  function start(c: Claimed) {
    inFlight += 1;
    const task = (async () => {
      try {
        await send(c);
      } catch (err) {
        // The lease runs out and the delivery is tried again (by this or another dispatcher).
        opts.log.error({ err, tenantId: c.tenantId, deliveryId: c.id }, "webhook delivery failed unexpectedly");
      } finally {
        inFlight -= 1;
      }
    })();
    running.add(task);
    void task.finally(() => {
      running.delete(task);
      if (!stopped) void claim();
    });
  }

  async function send(c: Claimed): Promise<void> {
    const row = await withScope(opts.db, { tenantId: c.tenantId }, (tx) => loadDelivery(tx, c.id));
    if (!row || row.status !== "pending") return;
    if (!row.enabled) {
      await withScope(opts.db, { tenantId: c.tenantId }, (tx) =>
        tx
          .update(webhookDeliveries)
          .set({ status: "failed", lastError: "The endpoint is disabled", leaseUntil: null })
          .where(and(eq(webhookDeliveries.id, c.id), eq(webhookDeliveries.status, "pending"))),
      );
      return;
    }
    const busy = perEndpointInFlight.get(row.webhookId) ?? 0;
    if (busy >= perEndpoint) {
      // Handed back: another claim (here or elsewhere) takes it once the endpoint has room.
      await withScope(opts.db, { tenantId: c.tenantId }, (tx) =>
        tx
          .update(webhookDeliveries)
          .set({ leaseUntil: null, nextAttemptAt: sql`now() + interval '200 milliseconds'` })
          .where(eq(webhookDeliveries.id, c.id)),
      );
      return;
    }
    perEndpointInFlight.set(row.webhookId, busy + 1);
    const started = Date.now();
    let outcome: { ok: boolean; statusCode: number | null; error: string | null };
    try {
      outcome = await attempt(row);
    } finally {
      const n = (perEndpointInFlight.get(row.webhookId) ?? 1) - 1;
      if (n > 0) perEndpointInFlight.set(row.webhookId, n);
      else perEndpointInFlight.delete(row.webhookId);
    }
    await withScope(opts.db, { tenantId: c.tenantId }, (tx) => record(tx, row, outcome));
    opts.onAttempt?.({ tenantId: c.tenantId, deliveryId: c.id, ok: outcome.ok, ms: Date.now() - started });
  }

  async function attempt(row: DeliveryRow): Promise<{ ok: boolean; statusCode: number | null; error: string | null }> {
    let secret: string;
    try {
      secret = opts.secrets.open(row.secretCiphertext, webhookSecretContext(row.tenantId, row.webhookId));
    } catch {
      return { ok: false, statusCode: null, error: "The signing secret cannot be opened (ENCRYPTION_KEY changed?)" };
    }
    const body = webhookBody({ type: row.eventType, createdAt: row.eventCreatedAt, data: row.data });
    try {
      const res = await outboundRequest(row.url, {
        method: "POST",
        headers: webhookHeaders(secret, row.eventId, body),
        body,
        timeoutMs: opts.timeoutMs ?? 10_000,
        allowHttpLocalhost: opts.allowHttpLocalhost,
        maxResponseBytes: 1024,
        resolver: opts.resolver,
      });
      const ok = res.status >= 200 && res.status < 300;
      return { ok, statusCode: res.status, error: ok ? null : `HTTP ${res.status}` };
    } catch (err) {
      if (err instanceof OutboundUrlError || err instanceof OutboundRequestError) return { ok: false, statusCode: null, error: err.message };
      throw err;
    }
  }

  async function record(tx: Tx, row: DeliveryRow, outcome: { ok: boolean; statusCode: number | null; error: string | null }) {
    const attempts = row.attempts + 1;
    if (outcome.ok) {
      await tx
        .update(webhookDeliveries)
        .set({ status: "delivered", attempts, lastStatusCode: outcome.statusCode, lastError: null, deliveredAt: sql`now()`, leaseUntil: null })
        .where(eq(webhookDeliveries.id, row.id));
      // Only when a failure run ends: a success does not write the (shared, hot) endpoint row.
      await tx
        .update(webhookEndpoints)
        .set({ failingSince: null })
        .where(and(eq(webhookEndpoints.id, row.webhookId), isNotNull(webhookEndpoints.failingSince)));
      return;
    }
    const delay = (opts.backoffMs ?? defaultBackoffMs)(attempts);
    const final = Date.now() + delay - row.createdAt.getTime() > (opts.retryWindowMs ?? 24 * HOUR);
    await tx
      .update(webhookDeliveries)
      .set({
        status: final ? "failed" : "pending",
        attempts,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error?.slice(0, 500) ?? null,
        nextAttemptAt: new Date(Date.now() + delay),
        leaseUntil: null,
      })
      .where(eq(webhookDeliveries.id, row.id));
    const failingSince = row.failingSince ?? new Date();
    if (!row.failingSince) {
      await tx
        .update(webhookEndpoints)
        .set({ failingSince })
        .where(and(eq(webhookEndpoints.id, row.webhookId), isNull(webhookEndpoints.failingSince)));
    }
    if (Date.now() - failingSince.getTime() >= (opts.disableAfterMs ?? 3 * 24 * HOUR)) await disable(tx, row, failingSince);
  }

  async function disable(tx: Tx, row: DeliveryRow, failingSince: Date) {
    const [off] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: `Deliveries failed since ${failingSince.toISOString()} (last: ${row.url})`.slice(0, 500) })
      .where(and(eq(webhookEndpoints.id, row.webhookId), eq(webhookEndpoints.enabled, true)))
      .returning({ id: webhookEndpoints.id });
    if (!off) return; // disabled already (by a person, or a concurrent failure)
    opts.log.warn({ tenantId: row.tenantId, webhookId: row.webhookId }, "webhook endpoint disabled after failing");
    const [tenant] = await tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, row.tenantId));
    const admins = await tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, row.tenantId), inArray(memberships.role, ["owner", "admin"])));
    for (const admin of admins) {
      const mail = renderMail({
        template: "webhook-disabled",
        to: admin.email,
        tenantName: tenant?.name ?? "your organisation",
        url: row.url,
        failingSince,
        link: opts.tenantLink(tenant?.slug ?? "", "/integrations/webhooks"),
      });
      const [outbox] = await tx
        .insert(emailOutbox)
        .values({ tenantId: row.tenantId, kind: "webhook-disabled", to: admin.email, subject: mail.subject, body: mail.text, html: mail.html })
        .returning({ id: emailOutbox.id });
      await enqueue(tx, "mail.send", { outboxId: outbox!.id, tenantId: row.tenantId });
    }
  }

  const unlisten = await opts.db.listen(
    WEBHOOK_DELIVERIES_CHANNEL,
    () => void claim(),
    () => void claim(),
  );
  const poll = setInterval(() => void claim(), opts.pollMs ?? 1000);
  poll.unref?.();
  void claim();

  return {
    wake: () => void claim(),
    async stop(timeoutMs = 10_000) {
      stopped = true;
      clearInterval(poll);
      await unlisten().catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((r) => {
          timer = setTimeout(r, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

type DeliveryRow = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

async function loadDelivery(tx: Tx, id: string) {
  const [row] = await tx
    .select({
      id: webhookDeliveries.id,
      tenantId: webhookDeliveries.tenantId,
      webhookId: webhookDeliveries.webhookId,
      eventId: webhookDeliveries.eventId,
      eventType: webhookDeliveries.eventType,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
      url: webhookEndpoints.url,
      enabled: webhookEndpoints.enabled,
      secretCiphertext: webhookEndpoints.secretCiphertext,
      failingSince: webhookEndpoints.failingSince,
      data: webhookEvents.data,
      eventCreatedAt: webhookEvents.createdAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, and(eq(webhookEndpoints.tenantId, webhookDeliveries.tenantId), eq(webhookEndpoints.id, webhookDeliveries.webhookId)))
    .innerJoin(webhookEvents, and(eq(webhookEvents.tenantId, webhookDeliveries.tenantId), eq(webhookEvents.id, webhookDeliveries.eventId)))
    .where(eq(webhookDeliveries.id, id));
  return row;
}

/** Rows of `tx.execute` on either driver (postgres.js answers an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
