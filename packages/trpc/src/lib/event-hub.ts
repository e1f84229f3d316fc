/**
 * In-process fan-out of engagement events. Each API process (one hub per app instance) holds ONE `LISTEN` on
 * the database and wakes the tenant feed a notification names. Notifications carry ids only
 * (`<tenant_id>:<event_id>`); events themselves are always read from the table, in the tenant's RLS scope.
 *
 * Per process and per tenant there is one **feed**: on a wake-up it runs ONE read (events after the lowest
 * position among the tenant's live streams, one tenant-scoped transaction) and hands each stream the events
 * after its own position. Notifications that arrive while that read is in flight are coalesced into one more
 * read, and a notification for an id every stream already has is ignored. So a hot tenant with 100 streams
 * costs one transaction per burst of events, not 100 per event.
 *
 * No gaps, no duplicates: a stream first catches up by itself (replay after Last-Event-ID, or from the latest
 * id at subscribe time) with its own reads, then attaches to the feed at the id it reached; the feed only ever
 * hands it events after that id, in id order (events of a tenant commit in id order, see engagements.service),
 * and the stream drops anything at or below the last id it sent. A dropped LISTEN connection marks every feed
 * stale on re-listen, so they re-read from their streams' positions.
 *
 * Memory stays bounded: a stream holds at most `MAX_QUEUE` undelivered events; one that falls further behind
 * (slow client) is detached from the feed and catches up by itself from the table, then re-attaches.
 *
 * Access (session alive / API key unrevoked / membership / tenant active) is NOT re-checked per event: each feed
 * re-checks all its streams together every `recheckMs` (one batched check per tenant), and ends the streams that
 * lost access. **Staleness bound: a revoked session, revoked API key or removed member may keep receiving the
 * tenant's events for up to `recheckMs` (default 10 s) plus one check's duration.** The subscription itself is
 * admitted by the procedure (tenantProcedure) exactly as any other call.
 *
 * Edit here to change the per-user cap, the re-check interval or how notifications are parsed; what a stream
 * reads and how access is checked live in routers/engagements/engagements.stream.ts.
 */
import type { DbHandle } from "@switchboard/db";
import { DomainError, tooManyRequests } from "../errors";

/** Default interval of the batched access re-check (see the staleness bound above). */
export const DEFAULT_RECHECK_MS = 10_000;
/** Events one shared read returns at most (a full page is followed by another read at once). */
export const FEED_PAGE = 200;
/** Undelivered events a stream may hold before it is detached to catch up by itself. */
const MAX_QUEUE = 1000;
/** Delay before a failed shared read is retried. */
const RETRY_MS = 1000;

export interface EventHubOptions {
  channel: string;
  /** Open subscriptions per user in this process; more are TOO_MANY_REQUESTS. */
  maxPerUser?: number;
  /** Interval of the batched access re-check per tenant, in ms (default 10 s). */
  recheckMs?: number;
  /** Called with the seconds between an event's commit and its delivery (metrics). */
  onDelivered?: (lagSeconds: number) => void;
  /** A shared read or access re-check failed (it is retried / run again on the next interval). */
  onError?: (err: unknown, what: "read" | "recheck") => void;
}

export interface FeedItem {
  id: number;
}

/** How a tenant's feed reads events and re-checks access; supplied by the stream (identical for a tenant). */
export interface FeedSource<T extends FeedItem, M> {
  /** Events after `afterId`, ascending by id, at most `limit`, in one tenant-scoped transaction. */
  read(afterId: number, limit: number): Promise<T[]>;
  /** Which of these subscriptions lost access to the tenant (one batched check for all of them). */
  revoked(subs: readonly EventSubscription<T, M>[]): Promise<Set<EventSubscription<T, M>>>;
}

/** Returned by `take` when the stream was detached from its feed and must catch up by itself. */
export const BEHIND = Symbol("behind");

export class EventSubscription<T extends FeedItem = FeedItem, M = unknown> {
  /** Highest id handed to this stream (queued or sent); the feed only hands it later ones. */
  cursor = 0;
  /** Attached to the feed (live); false while catching up by itself. */
  attached = false;
  readonly queue: T[] = [];
  private wake: (() => void) | null = null;
  closed = false;

  constructor(
    readonly tenantId: string,
    readonly userKey: string,
    /** Who the stream acts for (what the access re-check needs). */
    readonly meta: M,
    private readonly feed: TenantFeed<T, M>,
    private readonly release: (sub: EventSubscription<T, M>) => void,
  ) {}

  /** Joins the feed at `afterId` (the last id the stream sent); the feed reads at once if it knows of later ones. */
  attach(afterId: number) {
    if (this.closed) return;
    this.cursor = afterId;
    this.attached = true;
    this.feed.attached(this);
  }

  /** Called by the feed. */
  push(items: readonly T[]) {
    let added = false;
    for (const item of items) {
      if (item.id <= this.cursor) continue;
      if (this.queue.length >= MAX_QUEUE) {
        this.attached = false;
        break;
      }
      this.queue.push(item);
      this.cursor = item.id;
      added = true;
    }
    if (added || !this.attached) this.wake?.();
  }

  /**
   * Waits for events handed over by the feed. Resolves to them, to BEHIND when the stream was detached and its
   * queue is drained (it must read by itself from its last id), or to null when the subscription ends (closed,
   * aborted, access lost, or the hub shut down).
   */
  async take(signal?: AbortSignal): Promise<T[] | typeof BEHIND | null> {
    while (!this.closed && !signal?.aborted) {
      if (this.queue.length > 0) return this.queue.splice(0, this.queue.length);
      if (!this.attached) return BEHIND;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener("abort", done);
          this.wake = null;
          resolve();
        };
        this.wake = done;
        signal?.addEventListener("abort", done, { once: true });
      });
    }
    return null;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.attached = false;
    this.queue.length = 0;
    this.release(this);
    this.wake?.();
  }
}

/** One tenant's shared reader in this process. */
class TenantFeed<T extends FeedItem, M> {
  readonly subs = new Set<EventSubscription<T, M>>();
  /** Highest event id notified so far. */
  private head = 0;
  /** Re-read regardless of `head` (after a re-listen, or after a full page). */
  private stale = false;
  private reading = false;
  private dirty = false;
  private recheckTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    readonly tenantId: string,
    private readonly source: FeedSource<T, M>,
    private readonly hub: EventHub,
  ) {
    this.scheduleRecheck();
  }

  notify(eventId: number) {
    if (eventId > this.head) this.head = eventId;
    this.pump();
  }

  markStale() {
    this.stale = true;
    this.pump();
  }

  attached(sub: EventSubscription<T, M>) {
    if (sub.cursor < this.head || this.stale) this.pump();
  }

  /** Starts the read loop, or asks the running one to go round once more (coalescing). */
  private pump() {
    this.dirty = true;
    if (this.reading) return;
    this.reading = true;
    void this.readLoop().finally(() => {
      this.reading = false;
    });
  }

  private async readLoop() {
    while (this.dirty && this.subs.size > 0) {
      this.dirty = false;
      let from = Number.POSITIVE_INFINITY;
      for (const s of this.subs) if (s.attached && s.cursor < from) from = s.cursor;
      if (from === Number.POSITIVE_INFINITY) return; // nobody live yet: attach() pumps again
      if (!this.stale && from >= this.head) continue; // every live stream already has what was notified
      this.stale = false;
      let batch: T[];
      try {
        batch = await this.source.read(from, FEED_PAGE);
      } catch (err) {
        this.hub.reportError(err, "read");
        this.stale = true;
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = null;
          this.pump();
        }, RETRY_MS);
        this.retryTimer.unref?.();
        return;
      }
      if (batch.length > 0) {
        const lastId = batch[batch.length - 1]!.id;
        if (lastId > this.head) this.head = lastId;
      }
      for (const s of this.subs) {
        if (!s.attached) continue;
        if (s.cursor >= from) s.push(batch);
        else {
          // Attached while this read was in flight, further back than it read: its events come next round.
          this.stale = true;
          this.dirty = true;
        }
      }
      if (batch.length === FEED_PAGE) {
        this.stale = true;
        this.dirty = true;
      }
    }
  }

  private scheduleRecheck() {
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => void this.recheck(), this.hub.recheckMs);
    this.recheckTimer.unref?.();
  }

  private async recheck() {
    this.recheckTimer = null;
    if (this.subs.size === 0) return;
    if (!this.checking) {
      this.checking = true;
      try {
        const subs = [...this.subs];
        const lost = await this.source.revoked(subs);
        for (const s of lost) s.close();
      } catch (err) {
        this.hub.reportError(err, "recheck");
      } finally {
        this.checking = false;
      }
    }
    if (this.subs.size > 0) this.scheduleRecheck();
  }

  /** Re-arms the re-check with the hub's current interval (used when the interval changes). */
  rearm() {
    this.scheduleRecheck();
  }

  dispose() {
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.recheckTimer = this.retryTimer = null;
  }
}

export class EventHub {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each feed is typed by its own source
  private readonly feeds = new Map<string, TenantFeed<any, any>>();
  private readonly perUser = new Map<string, number>();
  private listening: Promise<() => Promise<void>> | null = null;
  private closed = false;
  readonly maxPerUser: number;
  private recheckInterval: number;

  constructor(
    private readonly db: Pick<DbHandle, "listen">,
    private readonly options: EventHubOptions,
  ) {
    this.maxPerUser = options.maxPerUser ?? 5;
    this.recheckInterval = options.recheckMs ?? DEFAULT_RECHECK_MS;
  }

  /** Interval of the batched access re-check, ms. Setting it re-arms every feed's timer (tests shorten it). */
  get recheckMs(): number {
    return this.recheckInterval;
  }
  set recheckMs(ms: number) {
    this.recheckInterval = ms;
    for (const feed of this.feeds.values()) feed.rearm();
  }

  /** Starts the process's single LISTEN (idempotent). */
  start(): Promise<void> {
    this.listening ??= this.db.listen(
      this.options.channel,
      (payload) => this.dispatch(payload),
      // After a reconnect notifications may have been missed: every feed re-reads from its streams' positions.
      () => this.pokeAll(),
    );
    return this.listening.then(() => undefined);
  }

  private dispatch(payload: string) {
    const [tenantId, id] = payload.split(":");
    const eventId = Number(id);
    if (!tenantId || !Number.isSafeInteger(eventId)) return;
    this.feeds.get(tenantId)?.notify(eventId);
  }

  private pokeAll() {
    for (const feed of this.feeds.values()) feed.markStale();
  }

  /** Called by feeds when a shared read or a re-check fails. */
  reportError(err: unknown, what: "read" | "recheck") {
    this.options.onError?.(err, what);
  }

  /**
   * Registers a subscription for `tenantId`; counts against `userKey`'s cap until closed. It receives
   * notifications at once but events only after `attach()`; `source` is used if this is the tenant's first
   * stream in the process (every stream of a tenant supplies an equivalent one).
   */
  async subscribe<T extends FeedItem, M>(
    tenantId: string,
    userKey: string,
    signal: AbortSignal | undefined,
    source: FeedSource<T, M>,
    meta: M,
  ): Promise<EventSubscription<T, M>> {
    if (this.closed) throw new DomainError("PRECONDITION_FAILED", "The server is shutting down");
    const open = this.perUser.get(userKey) ?? 0;
    if (open >= this.maxPerUser) {
      // A slot frees when one of the caller's streams ends; one left by a vanished client or one that lost access
      // goes at the latest with the next access re-check, so that interval is when a retry can succeed.
      throw tooManyRequests(`At most ${this.maxPerUser} live event streams per user`, this.recheckMs / 1000);
    }
    this.perUser.set(userKey, open + 1);
    let feed = this.feeds.get(tenantId) as TenantFeed<T, M> | undefined;
    if (!feed) this.feeds.set(tenantId, (feed = new TenantFeed<T, M>(tenantId, source, this)));
    const sub = new EventSubscription<T, M>(tenantId, userKey, meta, feed, (s) => this.release(s));
    feed.subs.add(sub);
    // Released even if the stream is never iterated (client gone before the first byte).
    signal?.addEventListener("abort", () => sub.close(), { once: true });
    try {
      await this.start();
    } catch (err) {
      sub.close();
      throw err;
    }
    return sub;
  }

  private release(sub: { tenantId: string; userKey: string }) {
    const feed = this.feeds.get(sub.tenantId);
    feed?.subs.delete(sub as EventSubscription);
    if (feed?.subs.size === 0) {
      feed.dispose();
      this.feeds.delete(sub.tenantId);
    }
    const open = (this.perUser.get(sub.userKey) ?? 1) - 1;
    if (open > 0) this.perUser.set(sub.userKey, open);
    else this.perUser.delete(sub.userKey);
  }

  delivered(at: Date) {
    this.options.onDelivered?.(Math.max(0, (Date.now() - at.getTime()) / 1000));
  }

  /** Open subscriptions in this process. */
  get size(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.subs.size;
    return n;
  }

  /** Ends every stream (they complete cleanly) and drops the LISTEN. Called on shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    for (const feed of [...this.feeds.values()]) for (const sub of [...feed.subs]) sub.close();
    const unlisten = await this.listening?.catch(() => null);
    this.listening = null;
    await unlisten?.().catch(() => {});
  }
}
