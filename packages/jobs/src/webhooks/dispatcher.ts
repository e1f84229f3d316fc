/**
 * The webhook dispatcher: sends the outbox's deliveries (outbox.ts) to their endpoints. Runs next to the job runner
 * in every worker process; any number may run, a delivery is sent by the one that leased it.
 *
 * - Wake-up: a NOTIFY at the commit of an event (LISTEN), a completed delivery (the next of its engagement may be
 *   due) and a poll every `pollMs` (retries coming due, missed notifications). Wake-ups while a claim is running
 *   fold into one more claim.
 * - Fan-out: with every claim, first, `fan_out_webhook_events` (owner function, migration 0031) queues the deliveries
 *   of the events recorded since (outbox.ts writes only the event: one delivery per subscribed endpoint is queued
 *   here, in commit order per engagement/call/lead).
 * - Claim: `claim_webhook_deliveries(n, lease)` (owner function: due deliveries of every tenant that are first of
 *   their queue — `ready`: no earlier delivery of the same engagement/call/lead to the same endpoint pending —
 *   leased) answers (tenant, id) pairs, read with their endpoints and events by the same statement; everything else
 *   runs as the app role inside each tenant's scope (delivery-batches.ts: one statement serves many tenants, one
 *   scope each, through the functions of migration 0030).
 * - Limits: at most `concurrency` requests in flight in this process (from the claim to the answer) and `perEndpoint`
 *   per endpoint; a delivery claimed for an endpoint at its limit waits for a slot (FIFO), or is handed back (due
 *   again a second later) when `2 × perEndpoint` already wait for that endpoint. Answered deliveries wait for their
 *   record outside those slots, at most `4 × concurrency` of them (the claim waits beyond that).
 * - Order: the next delivery of an engagement (call, lead) to an endpoint becomes `ready` when the one before it is
 *   delivered (or fails for good), and a claim follows every completed task (at most `minClaimIntervalMs` later).
 * - Send: open the sealed secret, sign, POST through `outboundRequest` (address rules checked again, pinned,
 *   `timeoutMs`, no redirects), then record the outcome in a short transaction. Successes (the common case) are
 *   recorded together: those completing while one batch is written go in the next, one statement for all of them
 *   (`groupCommit`). No transaction stays open during the request (PGlite has one connection).
 * - Outcome: 2xx → delivered, the endpoint's failure run ends. Anything else → retried with jittered exponential
 *   backoff (`backoffMs`) until `retryWindowMs` after the delivery was queued, then failed; the endpoint's
 *   `failingSince` marks the first failure of a run, and a run longer than `disableAfterMs` disables the endpoint
 *   (reason stored) and mails the tenant's owners and admins, in the same transaction.
 * A dispatcher that dies mid-send leaves a lease that runs out: another one sends the delivery again (at least once).
 */
import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { type DbHandle, type Tx, webhookDeliveries, webhookEndpoints, withScope } from "@switchboard/db";
import { mailTenantAdmins } from "../mail/admin-mail";
import { OutboundRequestError, outboundRequest, OutboundUrlError, type Resolver } from "../net/outbound";
import type { JobLog } from "../runner";
import { WEBHOOK_DELIVERIES_CHANNEL } from "./outbox";
import { claimDeliveries, type Delivered, type DeliveryRow, FAN_OUT_BATCH, recordDelivered } from "./delivery-batches";
import { openedSecrets } from "./opened-secrets";
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
  /**
   * Requests in flight at once in this process (default 1,024; `perEndpoint` still caps each endpoint): a delivery
   * holds its slot from its claim until its endpoint answers, and its outcome is then recorded with the others of its
   * group outside the slot. Answered deliveries waiting for their record are capped too, at 4 × this: the claim waits
   * while they are that many. Under load on a busy machine a request takes hundreds of milliseconds from claim to
   * answer: 256 slots, held until the group commit, kept one worker under 1,000 deliveries/s while its CPU was not
   * busy (bench/README.md, "Webhooks, fourth pass").
   */
  concurrency?: number;
  /** Requests in flight at once per endpoint in this process (default 8). */
  perEndpoint?: number;
  /** Poll interval, ms (default 1000). */
  pollMs?: number;
  /** Claims are at least this far apart, ms (default 50): wake-ups in between fold into the next one. */
  minClaimIntervalMs?: number;
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

export async function startWebhookDispatcher(opts: WebhookDispatcherOptions): Promise<WebhookDispatcher> {
  const concurrency = opts.concurrency ?? 1024;
  const perEndpoint = opts.perEndpoint ?? 8;
  const leaseSeconds = opts.leaseSeconds ?? 60;
  const secrets = openedSecrets(opts.secrets);
  let stopped = false;
  let claiming = false;
  let again = false;
  let claimTimer: NodeJS.Timeout | null = null;
  let lastClaimAt = 0;
  const minClaimIntervalMs = opts.minClaimIntervalMs ?? 50;

  /**
   * Claims soon: at most one claim per `minClaimIntervalMs` (a claim scans the due deliveries of every tenant, and a
   * burst of commits or completions needs one claim, not one each).
   */
  function requestClaim() {
    if (stopped || claimTimer) return;
    claimTimer = setTimeout(() => {
      claimTimer = null;
      void claim();
    }, Math.max(0, lastClaimAt + minClaimIntervalMs - Date.now()));
  }
  /** Claimed deliveries whose request has not been answered yet (at most `concurrency`). */
  let sending = 0;
  /** Answered deliveries whose outcome is not recorded yet (at most 4 × `concurrency`, with `sending`). */
  let recording = 0;
  const endpoints = new Map<string, { active: number; waiting: (() => void)[] }>();
  const running = new Set<Promise<void>>();
  /**
   * Successes are recorded in batches: the first is written at once, those that complete meanwhile wait for that
   * write and go together in the next (one statement for all their tenants, see delivery-batches.ts).
   */
  const delivered = groupCommit((items: Delivered[]) => recordDelivered(opts.db, items));

  async function claim(): Promise<void> {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        const room = Math.min(concurrency - sending, 4 * concurrency - sending - recording);
        if (room <= 0 || stopped) break;
        lastClaimAt = Date.now();
        // Fanned out (its own transaction), then claimed and read in one (delivery-batches.ts): a failure there
        // rolls the leases back.
        const { claimed, fannedOut } = await claimDeliveries(opts.db, room, leaseSeconds);
        sending += claimed.length;
        for (const row of claimed) start(row);
        if (claimed.length === room || fannedOut === FAN_OUT_BATCH) again = true;
      } while (again && !stopped);
    } catch (err) {
      opts.log.error({ err }, "webhook claim failed");
    } finally {
      claiming = false;
    }
  }

  /** Runs a claimed delivery (its slot in `sending` was reserved by the claim). */
  function start(row: DeliveryRow) {
    let answered = false;
    /** The endpoint answered (or the request failed): the slot goes to the next claim while the outcome is recorded. */
    const onAnswered = () => {
      if (answered) return;
      answered = true;
      sending -= 1;
      recording += 1;
      if (!stopped) requestClaim();
    };
    const task = (async () => {
      try {
        await send(row, onAnswered);
      } catch (err) {
        // The lease runs out and the delivery is tried again (by this or another dispatcher).
        opts.log.error({ err, tenantId: row.tenantId, deliveryId: row.id }, "webhook delivery failed unexpectedly");
      } finally {
        if (answered) recording -= 1;
        else sending -= 1;
      }
    })();
    running.add(task);
    void task.finally(() => {
      running.delete(task);
      if (!stopped) requestClaim();
    });
  }

  /**
   * Sends a claimed delivery and records its outcome; `answered` is called when the request is over (both slots, the
   * process's and the endpoint's, are free from then on). The next delivery of the same engagement (call, lead) to
   * the same endpoint becomes ready when this one's success commits (the dequeued trigger of migration 0028), and the
   * claim that the task's end requests sends it.
   */
  async function send(row: DeliveryRow, answered: () => void): Promise<void> {
    if (row.status !== "pending") return;
    if (!row.enabled) {
      await withScope(opts.db, { tenantId: row.tenantId }, (tx) => failDisabled(tx, row.id));
      return;
    }
    if (!(await endpointSlot(row.webhookId))) {
      // Too many waiting for this endpoint here: handed back, another claim (here or elsewhere) takes it later.
      await withScope(opts.db, { tenantId: row.tenantId }, (tx) =>
        tx
          .update(webhookDeliveries)
          .set({ leaseUntil: null, nextAttemptAt: sql`now() + interval '1 second'` })
          .where(eq(webhookDeliveries.id, row.id)),
      );
      return;
    }
    const started = Date.now();
    let outcome: Awaited<ReturnType<typeof attempt>>;
    try {
      outcome = await attempt(row);
    } finally {
      releaseEndpointSlot(row.webhookId);
      answered();
    }
    // The common case, a success of an endpoint that was not failing, is recorded with the other successes of the
    // moment (one statement for all); a failure, or the success that ends a run of failures, on its own.
    if (outcome.ok && !row.failingSince) await delivered({ row, statusCode: outcome.statusCode! });
    else await withScope(opts.db, { tenantId: row.tenantId }, (tx) => record(tx, row, outcome));
    opts.onAttempt?.({ tenantId: row.tenantId, deliveryId: row.id, ok: outcome.ok, ms: Date.now() - started });
  }

  /**
   * Waits for one of the endpoint's `perEndpoint` slots in this process (FIFO); false at once when `2 × perEndpoint`
   * deliveries already wait for it (the caller hands the delivery back instead of holding a slot of the process).
   */
  function endpointSlot(webhookId: string): Promise<boolean> {
    let e = endpoints.get(webhookId);
    if (!e) endpoints.set(webhookId, (e = { active: 0, waiting: [] }));
    if (e.active < perEndpoint) {
      e.active += 1;
      return Promise.resolve(true);
    }
    if (e.waiting.length >= 2 * perEndpoint) return Promise.resolve(false);
    return new Promise((resolve) => e.waiting.push(() => resolve(true)));
  }

  function releaseEndpointSlot(webhookId: string) {
    const e = endpoints.get(webhookId);
    if (!e) return;
    const next = e.waiting.shift();
    if (next) next(); // the slot passes to the next waiter
    else if (--e.active === 0) endpoints.delete(webhookId);
  }

  async function attempt(row: DeliveryRow): Promise<{ ok: boolean; statusCode: number | null; error: string | null }> {
    let secret: string;
    try {
      secret = secrets.open(row.secretCiphertext, webhookSecretContext(row.tenantId, row.webhookId));
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
      if (row.failingSince) {
        await tx
          .update(webhookEndpoints)
          .set({ failingSince: null })
          .where(and(eq(webhookEndpoints.id, row.webhookId), isNotNull(webhookEndpoints.failingSince)));
      }
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
    await mailTenantAdmins(tx, row.tenantId, (to, tenant) => ({
      template: "webhook-disabled",
      to,
      tenantName: tenant.name,
      url: row.url,
      failingSince,
      link: opts.tenantLink(tenant.slug, "/integrations/webhooks"),
    }));
  }

  const unlisten = await opts.db.listen(
    WEBHOOK_DELIVERIES_CHANNEL,
    () => requestClaim(),
    () => requestClaim(),
  );
  const poll = setInterval(() => requestClaim(), opts.pollMs ?? 1000);
  poll.unref?.();
  void claim();

  return {
    wake: () => requestClaim(),
    async stop(timeoutMs = 10_000) {
      stopped = true;
      clearInterval(poll);
      if (claimTimer) clearTimeout(claimTimer);
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

/**
 * Batches calls of `write` that arrive while one is running: the first call runs at once, the calls made meanwhile
 * are queued and written together by one call when it completes (group commit). Each caller gets its own answer.
 */
function groupCommit<I, O>(write: (items: I[]) => Promise<O[]>): (item: I) => Promise<O> {
  let queue: { item: I; resolve: (o: O) => void; reject: (err: unknown) => void }[] = [];
  let writing = false;
  async function drain() {
    writing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const out = await write(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(out[i]!));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    writing = false;
  }
  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

function failDisabled(tx: Tx, id: string) {
  return tx
    .update(webhookDeliveries)
    .set({ status: "failed", lastError: "The endpoint is disabled", leaseUntil: null })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, "pending")));
}
