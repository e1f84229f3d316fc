/**
 * In-process fan-out of engagement events. Each API process (one hub per app instance) holds ONE `LISTEN` on
 * the database and wakes the subscriptions of the tenant a notification names. Notifications carry ids only
 * (`<tenant_id>:<event_id>`); subscribers re-read events in their own tenant scope before sending anything.
 *
 * A subscription is not a queue of events but a "there is something after id N" signal: the subscriber then
 * reads every event after the last one it sent, from the table. So a burst, a slow client or a dropped LISTEN
 * connection (the hub pokes everyone after re-listening) never loses events, and memory stays bounded.
 *
 * Edit here to change the per-user cap or how notifications are parsed; the stream itself lives in
 * routers/engagements/engagements.stream.ts.
 */
import type { DbHandle } from "@switchboard/db";
import { DomainError } from "../errors";

export interface EventHubOptions {
  channel: string;
  /** Open subscriptions per user in this process; more are TOO_MANY_REQUESTS. */
  maxPerUser?: number;
  /** Called with the seconds between an event's commit and its delivery (metrics). */
  onDelivered?: (lagSeconds: number) => void;
}

export class EventSubscription {
  /** Highest event id notified and not yet handled; Infinity means "re-read whatever is new". */
  private pending = 0;
  private wake: (() => void) | null = null;
  closed = false;

  constructor(
    readonly tenantId: string,
    readonly userKey: string,
    private readonly release: (sub: EventSubscription) => void,
  ) {}

  poke(eventId: number) {
    if (eventId > this.pending) this.pending = eventId;
    this.wake?.();
  }

  /**
   * Waits until an event after `afterId` may exist; resolves to false when the subscription ends (closed, aborted,
   * or the hub shut down).
   */
  async next(afterId: number, signal?: AbortSignal): Promise<boolean> {
    while (!this.closed && !signal?.aborted) {
      if (this.pending > afterId) {
        this.pending = 0;
        return true;
      }
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
    return false;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.release(this);
    this.wake?.();
  }
}

export class EventHub {
  private readonly byTenant = new Map<string, Set<EventSubscription>>();
  private readonly perUser = new Map<string, number>();
  private listening: Promise<() => Promise<void>> | null = null;
  private closed = false;
  readonly maxPerUser: number;

  constructor(
    private readonly db: Pick<DbHandle, "listen">,
    private readonly options: EventHubOptions,
  ) {
    this.maxPerUser = options.maxPerUser ?? 5;
  }

  /** Starts the process's single LISTEN (idempotent). */
  start(): Promise<void> {
    this.listening ??= this.db.listen(
      this.options.channel,
      (payload) => this.dispatch(payload),
      // After a reconnect notifications may have been missed: everyone re-reads from their last event.
      () => this.pokeAll(),
    );
    return this.listening.then(() => undefined);
  }

  private dispatch(payload: string) {
    const [tenantId, id] = payload.split(":");
    const eventId = Number(id);
    if (!tenantId || !Number.isSafeInteger(eventId)) return;
    for (const sub of this.byTenant.get(tenantId) ?? []) sub.poke(eventId);
  }

  private pokeAll() {
    for (const subs of this.byTenant.values()) for (const sub of subs) sub.poke(Number.POSITIVE_INFINITY);
  }

  /** Registers a subscription for `tenantId`; counts against `userKey`'s cap until closed. */
  async subscribe(tenantId: string, userKey: string, signal?: AbortSignal): Promise<EventSubscription> {
    if (this.closed) throw new DomainError("PRECONDITION_FAILED", "The server is shutting down");
    const open = this.perUser.get(userKey) ?? 0;
    if (open >= this.maxPerUser) {
      throw new DomainError("TOO_MANY_REQUESTS", `At most ${this.maxPerUser} live event streams per user`);
    }
    this.perUser.set(userKey, open + 1);
    const sub = new EventSubscription(tenantId, userKey, (s) => this.release(s));
    let subs = this.byTenant.get(tenantId);
    if (!subs) this.byTenant.set(tenantId, (subs = new Set()));
    subs.add(sub);
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

  private release(sub: EventSubscription) {
    const subs = this.byTenant.get(sub.tenantId);
    subs?.delete(sub);
    if (subs?.size === 0) this.byTenant.delete(sub.tenantId);
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
    for (const subs of this.byTenant.values()) n += subs.size;
    return n;
  }

  /** Ends every stream (they complete cleanly) and drops the LISTEN. Called on shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    for (const subs of [...this.byTenant.values()]) for (const sub of [...subs]) sub.close();
    const unlisten = await this.listening?.catch(() => null);
    this.listening = null;
    await unlisten?.().catch(() => {});
  }
}
