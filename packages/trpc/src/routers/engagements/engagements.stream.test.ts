// engagements.onEvent through the EventHub on the test database (PGlite, or real PostgreSQL under scripts/test.mjs):
// one shared read per tenant per wake-up, no gaps or duplicates, nothing across tenants, and streams that lose
// access end within the (shortened) re-check interval.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { type DbHandle, memberships, sessions, withTenant } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { EventHub } from "../../lib/event-hub";
import { callerFor, createKeyFixture, createTenantWithRoles } from "../../testing";
import { ENGAGEMENT_EVENTS_CHANNEL } from "./engagements.service";
import { revokeApiKey } from "../api-keys/api-keys.service";

type Msg = { id: number; type: string; engagementId: string };

let t: TestDatabase;
let hub: EventHub;
/** The test database, with its transactions counted. */
let counted: DbHandle;
let transactions = 0;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

/** Reads a subscription in the background; `until` resolves once the stream has ended. */
function collect(iterable: AsyncIterable<unknown>) {
  const got: Msg[] = [];
  let ended = false;
  const done = (async () => {
    for await (const item of iterable) {
      const [id, data] = item as [string, { type: string; engagement: { id: string } }];
      got.push({ id: Number(id), type: data.type, engagementId: data.engagement.id });
    }
    ended = true;
  })();
  return { got, done, ended: () => ended };
}

async function until(check: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.app.db;
  counted = {
    ...t.app,
    db: new Proxy(db, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === "transaction") {
          return (...args: unknown[]) => {
            transactions += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }),
  };
  hub = new EventHub(counted, { channel: ENGAGEMENT_EVENTS_CHANNEL, recheckMs: 60_000 });
  await hub.start();
  acme = await createTenantWithRoles(t.app, "stream-acme");
  other = await createTenantWithRoles(t.app, "stream-other");
});
afterAll(async () => {
  await hub?.close();
  await t?.close();
});

const as = (user: (typeof acme)["owner"], slug: string) =>
  callerFor(counted, { user, sessionId: user.sessionId, tenantSlug: slug, events: hub });

describe("engagements.onEvent (shared feed)", () => {
  it("one read per wake-up for all of a tenant's streams; each stream gets every event once, in order; other tenants nothing", async () => {
    const streams: ReturnType<typeof collect>[] = [];
    for (const user of [acme.owner, acme.admin, acme.agent, acme.viewer]) {
      for (let i = 0; i < 3; i++) streams.push(collect(await as(user, "stream-acme").engagements.onEvent()));
    }
    const outsider = collect(await as(other.owner, "stream-other").engagements.onEvent());
    // Let every stream finish its own catch-up read and attach to the feed.
    await new Promise((r) => setTimeout(r, 200));

    transactions = 0;
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await acme.as(acme.agent).engagements.create({ channel: "chat", customer: `c-${i}`, message: "Hi" }));
    await until(() => streams.every((s) => s.got.length >= 3));
    await new Promise((r) => setTimeout(r, 100));
    // 12 streams, 3 events: at most one shared read per notification (fewer when they coalesce), not 36.
    expect(transactions).toBeLessThanOrEqual(3); // the mutations run on t.app, uncounted
    for (const s of streams) {
      expect(s.got.map((m) => m.engagementId)).toEqual(created.map((c) => c.id));
      expect(s.got.every((m) => m.type === "created")).toBe(true);
    }
    expect(outsider.got).toEqual([]);
    expect(hub.size).toBe(13);
    await hub.close().then(() => undefined);
    await Promise.all([...streams.map((s) => s.done), outsider.done]);
    expect(streams.every((s) => s.ended())).toBe(true);
    // A fresh hub for the next tests (this one is shut down).
    hub = new EventHub(counted, { channel: ENGAGEMENT_EVENTS_CHANNEL, recheckMs: 60_000 });
    await hub.start();
  });

  it("replays after Last-Event-ID, then continues live, without gaps or duplicates (also across a burst)", async () => {
    const live = collect(await as(acme.owner, "stream-acme").engagements.onEvent());
    await new Promise((r) => setTimeout(r, 100));
    const first = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "r-1", message: "Hi" });
    await until(() => live.got.length >= 1);
    const mark = live.got[0]!.id;
    const missed = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "r-2", message: "Hi" });
    const replaying = collect(await as(acme.admin, "stream-acme").engagements.onEvent({ lastEventId: String(mark) }));
    // A burst while the replaying stream attaches: notifications coalesce, nothing is lost or repeated.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acme.as(acme.agent).engagements.create({ channel: "chat", customer: `b-${i}`, message: "Hi" })),
    );
    await until(() => replaying.got.length >= 9 && live.got.length >= 10);
    await new Promise((r) => setTimeout(r, 150));
    const ids = (s: { got: Msg[] }) => s.got.map((m) => m.id);
    for (const s of [live, replaying]) {
      expect(ids(s)).toEqual([...new Set(ids(s))].sort((a, b) => a - b));
    }
    expect(live.got.map((m) => m.engagementId).slice(0, 2)).toEqual([first.id, missed.id]);
    expect(replaying.got[0]!.engagementId).toBe(missed.id);
    expect(new Set(replaying.got.map((m) => m.engagementId))).toEqual(new Set([missed.id, ...burst.map((b) => b.id)]));
    expect(ids(live).slice(1)).toEqual(ids(replaying));
  });

  it("ends streams within the re-check interval once their member is removed, their session revoked or their API key revoked", async () => {
    hub.recheckMs = 150;
    const kept = collect(await as(acme.owner, "stream-acme").engagements.onEvent());
    const removed = collect(await as(acme.viewer, "stream-acme").engagements.onEvent());
    const signedOut = collect(await as(acme.admin, "stream-acme").engagements.onEvent());
    const key = await createKeyFixture(t.app, acme.tenant.id, "viewer");
    const keyed = collect(await callerFor(counted, { apiKey: key.key, tenantSlug: "stream-acme", events: hub }).engagements.onEvent());
    await new Promise((r) => setTimeout(r, 300));
    expect([kept, removed, signedOut, keyed].map((s) => s.ended())).toEqual([false, false, false, false]);

    const revokedAt = Date.now();
    await withTenant(t.app, { tenantId: acme.tenant.id }, (tx) => tx.delete(memberships).where(eq(memberships.userId, acme.viewer.id)));
    await withTenant(t.app, { tenantId: acme.tenant.id }, (tx) => tx.delete(sessions).where(eq(sessions.id, acme.admin.sessionId)));
    await withTenant(t.app, { tenantId: acme.tenant.id }, (tx) => revokeApiKey(tx, { id: key.id }));
    await Promise.all([removed.done, signedOut.done, keyed.done]);
    // Within one interval (150 ms) plus the check itself; generous for slow CI.
    expect(Date.now() - revokedAt).toBeLessThan(150 + 1000);
    expect(kept.ended()).toBe(false);

    // The remaining stream still receives.
    const e = await acme.as(acme.owner).engagements.create({ channel: "chat", customer: "after", message: "Hi" });
    await until(() => kept.got.some((m) => m.engagementId === e.id));
    hub.recheckMs = 60_000;
  });
});
