// engagements.onEvent through the EventHub on the test database (PGlite, or real PostgreSQL under scripts/test.mjs):
// one shared read per tenant per wake-up, no gaps or duplicates, nothing across tenants, and streams that lose
// access end within the (shortened) re-check interval.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { type DbHandle, memberships, sessions, tenants, users, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { EventHub } from "../../lib/event-hub";
import { callerFor, createKeyFixture, createTenantWithRoles, createUser } from "../../testing";
import { DomainError } from "../../errors";
import { ENGAGEMENT_EVENTS_CHANNEL } from "./engagement-events";
import { REQUIRE_MFA_SETTING } from "../tenant/tenant.service";
import { revokeApiKey } from "../api-keys/api-keys.service";

type Msg = { id: number; type: string; engagementId: string; data: Record<string, unknown> };

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
      const [id, data] = item as [string, { type: string; engagement?: { id: string }; engagementId?: string }];
      got.push({ id: Number(id), type: data.type, engagementId: data.engagementId ?? data.engagement!.id, data });
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
    await until(() => streams.every((s) => s.got.length >= 6));
    await new Promise((r) => setTimeout(r, 100));
    // 12 streams, 6 events (each creation: `created`, then its first message): at most one shared read per
    // notification (fewer when they coalesce), not 72.
    expect(transactions).toBeLessThanOrEqual(6); // the mutations run on t.app, uncounted
    for (const s of streams) {
      expect(s.got.map((m) => [m.type, m.engagementId])).toEqual(created.flatMap((c) => [["created", c.id], ["message", c.id]]));
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
    await until(() => live.got.length >= 2);
    // After the first creation's `created`, before its first message.
    const mark = live.got[0]!.id;
    const missed = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "r-2", message: "Hi" });
    const replaying = collect(await as(acme.admin, "stream-acme").engagements.onEvent({ lastEventId: String(mark) }));
    // A burst while the replaying stream attaches: notifications coalesce, nothing is lost or repeated.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acme.as(acme.agent).engagements.create({ channel: "chat", customer: `b-${i}`, message: "Hi" })),
    );
    await until(() => replaying.got.length >= 19 && live.got.length >= 20);
    await new Promise((r) => setTimeout(r, 150));
    const ids = (s: { got: Msg[] }) => s.got.map((m) => m.id);
    for (const s of [live, replaying]) {
      expect(ids(s)).toEqual([...new Set(ids(s))].sort((a, b) => a - b));
    }
    const createdIn = (s: { got: Msg[] }) => s.got.filter((m) => m.type === "created").map((m) => m.engagementId);
    expect(createdIn(live).slice(0, 2)).toEqual([first.id, missed.id]);
    expect(replaying.got.slice(0, 3).map((m) => [m.type, m.engagementId])).toEqual([
      ["message", first.id],
      ["created", missed.id],
      ["message", missed.id],
    ]);
    expect(new Set(createdIn(replaying))).toEqual(new Set([missed.id, ...burst.map((b) => b.id)]));
    expect(ids(live).slice(1)).toEqual(ids(replaying));
  });

  it("carries message events (a reply, a note, an ingested message) as messages.list items, live and on replay; other tenants nothing", async () => {
    const live = collect(await as(acme.viewer, "stream-acme").engagements.onEvent());
    const outsider = collect(await as(other.owner, "stream-other").engagements.onEvent());
    await new Promise((r) => setTimeout(r, 100));
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "chat", customer: "msg-1", message: "Where is my order?" });
    await until(() => live.got.length >= 2);
    const mark = live.got[1]!.id;
    const reply = await agent.messages.send({ engagementId: e.id, body: "It ships today." });
    const note = await agent.messages.note({ engagementId: e.id, body: "Checked with the warehouse" });
    const ingested = await agent.messages.ingest({ channel: "chat", handle: "msg-1", body: "Thanks!", externalId: "stream-ext-1" });
    expect(ingested.engagement.id).toBe(e.id);
    await until(() => live.got.length >= 6);
    await new Promise((r) => setTimeout(r, 100));
    const thread = (await acme.as(acme.viewer).messages.list({ engagementId: e.id })).items;
    // created, first message, the reply (+ `updated`: new → open), the note, the ingested message.
    expect(live.got.map((m) => m.type)).toEqual(["created", "message", "message", "updated", "message", "message"]);
    const sent = live.got.filter((m) => m.type === "message").map((m) => m.data);
    expect(sent).toEqual(thread.map((message) => ({ type: "message", engagementId: e.id, message })));
    expect(sent.slice(1).map((d) => (d.message as { id: string }).id)).toEqual([reply.id, note.id, ingested.message.id]);
    expect(live.got[3]!.data).toMatchObject({ type: "updated", engagement: { id: e.id, status: "open", firstResponseAt: reply.createdAt } });
    expect(outsider.got).toEqual([]);

    const replaying = collect(await as(acme.agent, "stream-acme").engagements.onEvent({ lastEventId: String(mark) }));
    await until(() => replaying.got.length >= 4);
    // Replayed as sent live (an `updated` event carries the engagement as it is when read).
    expect(replaying.got.map((m) => [m.id, m.type])).toEqual(live.got.slice(2).map((m) => [m.id, m.type]));
    expect(replaying.got.filter((m) => m.type === "message").map((m) => m.data)).toEqual(sent.slice(1));
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
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.delete(memberships).where(eq(memberships.userId, acme.viewer.id)));
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.delete(sessions).where(eq(sessions.id, acme.admin.sessionId)));
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => revokeApiKey(tx, { id: key.id }));
    await Promise.all([removed.done, signedOut.done, keyed.done]);
    // Within one interval (150 ms) plus the check itself; generous for slow CI.
    expect(Date.now() - revokedAt).toBeLessThan(150 + 1000);
    expect(kept.ended()).toBe(false);

    // The remaining stream still receives.
    const e = await acme.as(acme.owner).engagements.create({ channel: "chat", customer: "after", message: "Hi" });
    await until(() => kept.got.some((m) => m.engagementId === e.id));
    hub.recheckMs = 60_000;
  });
  it("ends the streams of members without MFA within the re-check interval once the tenant (or its organisation) requires MFA", async () => {
    hub.recheckMs = 150;
    const org = await createTenantWithRoles(t.app, "stream-mfa");
    await org.as(org.owner).tenants.create({ name: "Stream MFA dept", slug: "stream-mfa-dept", parentId: org.tenant.id });
    await t.app.db.update(users).set({ mfaEnabledAt: new Date() }).where(eq(users.id, org.owner.id));
    const withMfa = { ...org.owner, mfaEnabled: true };
    const kept = collect(await as(withMfa, "stream-mfa").engagements.onEvent());
    const keptDept = collect(await as(withMfa, "stream-mfa-dept").engagements.onEvent());
    const without = collect(await as(org.agent, "stream-mfa").engagements.onEvent());
    const withoutDept = collect(await as(org.agent, "stream-mfa-dept").engagements.onEvent());
    const key = await createKeyFixture(t.app, org.tenant.id, "viewer");
    const keyed = collect(await callerFor(counted, { apiKey: key.key, tenantSlug: "stream-mfa", events: hub }).engagements.onEvent());
    await new Promise((r) => setTimeout(r, 300));
    expect([kept, keptDept, without, withoutDept, keyed].map((s) => s.ended())).toEqual([false, false, false, false, false]);

    // Switched on for the organisation: its departments follow (as at admission).
    const switchedAt = Date.now();
    await withScope(t.app, { tenantId: org.tenant.id }, (tx) =>
      tx.update(tenants).set({ settings: { [REQUIRE_MFA_SETTING]: true } }).where(eq(tenants.id, org.tenant.id)),
    );
    await Promise.all([without.done, withoutDept.done]);
    expect(Date.now() - switchedAt).toBeLessThan(150 + 1000);
    await new Promise((r) => setTimeout(r, 300));
    // People with MFA and API keys (no people) keep theirs.
    expect([kept, keptDept, keyed].map((s) => s.ended())).toEqual([false, false, false]);
    const e = await org.as(withMfa).engagements.create({ channel: "chat", customer: "mfa", message: "Hi" });
    await until(() => kept.got.some((m) => m.engagementId === e.id) && keyed.got.some((m) => m.engagementId === e.id));
    hub.recheckMs = 60_000;
  });

  it("ends a platform admin's stream of a tenant they are no member of once the flag or MFA is gone", async () => {
    hub.recheckMs = 150;
    const admin = await createUser(t.app, "Stream Platform");
    await t.app.db.update(users).set({ isPlatformAdmin: true, mfaEnabledAt: new Date() }).where(eq(users.id, admin.id));
    const powers = { ...admin, isPlatformAdmin: true, mfaEnabled: true };
    const watching = collect(await as(powers, "stream-other").engagements.onEvent());
    await new Promise((r) => setTimeout(r, 300));
    expect(watching.ended()).toBe(false);
    const revokedAt = Date.now();
    await t.app.db.update(users).set({ mfaEnabledAt: null }).where(eq(users.id, admin.id));
    await watching.done;
    expect(Date.now() - revokedAt).toBeLessThan(150 + 1000);
    hub.recheckMs = 60_000;
  });

  it("refuses a sixth stream of one user with TOO_MANY_REQUESTS that says when to retry (the re-check interval)", async () => {
    const user = await createUser(t.app, "Stream Cap");
    await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.insert(memberships).values({ tenantId: acme.tenant.id, userId: user.id, role: "viewer" }));
    for (let i = 0; i < hub.maxPerUser; i++) collect(await as(user, "stream-acme").engagements.onEvent());
    const err = await as(user, "stream-acme").engagements.onEvent().then(
      () => null,
      (e: { code?: string; cause?: unknown }) => e,
    );
    expect(err?.code).toBe("TOO_MANY_REQUESTS");
    expect(err?.cause).toBeInstanceOf(DomainError);
    expect((err!.cause as DomainError).retryAfterSeconds).toBe(Math.ceil(hub.recheckMs / 1000));
  });
});
