import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { emailOutbox, engagementEvents, engagements, messages, tenants, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, asKey, createKeyFixture, createTenantWithRoles, createUser } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "eng-acme");
  other = await createTenantWithRoles(t.app, "eng-other");
});
afterAll(() => t?.close());

const eventsOf = (tenantId: string, engagementId: string) =>
  withScope(t.app, { tenantId }, async (tx) =>
    (await tx.select().from(engagementEvents).orderBy(engagementEvents.id)).filter((e) => e.engagementId === engagementId).map((e) => e.type),
  );

describe("engagements", () => {
  it("a new engagement is `new`; status changes stamp first response and resolution; every change is an event", async () => {
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "email", customer: "jo@example.com", subject: "Refund", message: "Hi" });
    expect(e).toEqual({
      id: expect.any(String),
      channel: "email",
      customer: "jo@example.com",
      subject: "Refund",
      status: "new",
      priority: "normal",
      assignedUserId: null,
      contactId: expect.any(String),
      labelIds: [],
      createdAt: expect.any(String),
      firstResponseAt: null,
      // No SLA set: no promise, never breached.
      firstResponseDueAt: null,
      slaBreached: false,
      resolvedAt: null,
      lastMessageAt: e.createdAt,
      csat: null,
      csatSource: null,
      csatComment: null,
      erased: false,
    });
    const open = await agent.engagements.updateStatus({ id: e.id, status: "open" });
    expect(open.firstResponseAt).not.toBeNull();
    const resolved = await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
    expect(resolved).toMatchObject({ status: "resolved", firstResponseAt: open.firstResponseAt, resolvedAt: expect.any(String) });
    const rated = await agent.engagements.rate({ id: e.id, csat: 4 });
    expect(rated).toMatchObject({ csat: 4, csatSource: "agent" });
    const assigned = await agent.engagements.assign({ id: e.id, userId: acme.agent.id });
    expect(assigned.assignedUserId).toBe(acme.agent.id);
    // Resolved: `get` also carries the customer's survey link on the tenant's host.
    const got = await acme.as(acme.viewer).engagements.get({ id: e.id });
    expect(got).toEqual({ ...assigned, csatSurveyUrl: expect.stringMatching(new RegExp(`^http://eng-acme\\.localhost:3000/csat/${e.id}\\.`)) });
    // A no-op change writes nothing.
    await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
    expect(await eventsOf(acme.tenant.id, e.id)).toEqual(["created", "message", "updated", "updated", "updated", "updated"]);
    const reopened = await agent.engagements.updateStatus({ id: e.id, status: "open" });
    expect(reopened).toMatchObject({ resolvedAt: null, firstResponseAt: open.firstResponseAt });
    expect((await agent.engagements.get({ id: e.id })).csatSurveyUrl).toBeNull();
    expect((await agent.engagements.assign({ id: e.id, userId: null })).assignedUserId).toBeNull();
  });

  it("assigning someone who is not a member of the tenant is NOT_FOUND", async () => {
    const e = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "visitor-1", message: "Hello" });
    const stranger = await createUser(t.app, "Stranger");
    await expect(acme.as(acme.agent).engagements.assign({ id: e.id, userId: stranger.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(acme.as(acme.agent).engagements.assign({ id: e.id, userId: other.owner.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("filters by channel and status, and paginates without duplicates or gaps", async () => {
    const p = await createTenantWithRoles(t.app, "eng-pages");
    const channels = ["whatsapp", "email", "twitter", "facebook", "voice", "chat"] as const;
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) {
      const e = await p.as(p.agent).engagements.create({ channel: channels[i % 6]!, customer: `c${i}`, message: "m" });
      if (i % 2) await p.as(p.agent).engagements.updateStatus({ id: e.id, status: "open" });
      ids.push(e.id);
    }
    const viewer = p.as(p.viewer);
    const { items, pages } = await allPages((cursor) => viewer.engagements.list({ limit: 4, cursor }));
    expect(pages).toBe(3);
    expect(items.map((e) => e.id)).toEqual([...ids].reverse());
    expect((await viewer.engagements.list({ channel: "whatsapp" })).items.map((e) => e.id)).toEqual([ids[6], ids[0]]);
    const open = await allPages((cursor) => viewer.engagements.list({ status: "open", limit: 2, cursor }));
    expect(open.items).toHaveLength(5);
    expect((await viewer.engagements.list({ channel: "email", status: "open" })).items.map((e) => e.id)).toEqual([ids[7], ids[1]]);
  });

  it("validates input", async () => {
    const agent = acme.as(acme.agent);
    await expect(agent.engagements.create({ channel: "fax" as never, customer: "x", message: "m" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.engagements.create({ channel: "chat", customer: "x", message: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const e = await agent.engagements.create({ channel: "chat", customer: "x", message: "m" });
    await expect(agent.engagements.rate({ id: e.id, csat: 6 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.engagements.rate({ id: e.id, csat: 2.5 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.engagements.updateStatus({ id: e.id, status: "closed" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.engagements.assign({ id: e.id } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("viewers cannot write engagements", async () => {
    const e = await acme.as(acme.agent).engagements.create({ channel: "twitter", customer: "@jo", message: "m" });
    const viewer = acme.as(acme.viewer);
    await expect(viewer.engagements.create({ channel: "chat", customer: "x", message: "m" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.engagements.updateStatus({ id: e.id, status: "open" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.engagements.assign({ id: e.id, userId: acme.viewer.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.engagements.rate({ id: e.id, csat: 1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await viewer.engagements.get({ id: e.id })).toEqual({ ...e, csatSurveyUrl: null });
  });

  it("another tenant's engagement is NOT_FOUND for every procedure, unchanged and without events", async () => {
    const e = await acme.as(acme.agent).engagements.create({ channel: "facebook", customer: "fb:1", message: "m" });
    const intruder = other.as(other.owner);
    await expect(intruder.engagements.get({ id: e.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.engagements.updateStatus({ id: e.id, status: "resolved" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.engagements.assign({ id: e.id, userId: other.owner.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.engagements.rate({ id: e.id, csat: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await acme.as(acme.owner).engagements.get({ id: e.id })).toEqual({ ...e, csatSurveyUrl: null });
    expect(await eventsOf(acme.tenant.id, e.id)).toEqual(["created", "message"]);
  });

  it("idempotencyKey: a retry returns the first engagement; concurrent duplicates make one row and one event", async () => {
    const i = await createTenantWithRoles(t.app, "eng-idem");
    const input = { channel: "whatsapp" as const, customer: "+15550001234", message: "Hi", idempotencyKey: "wamid.ABC" };
    const first = await i.as(i.agent).engagements.create(input);
    expect(await i.as(i.agent).engagements.create({ ...input, message: "Hi again" })).toEqual(first);
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => i.as(i.agent).engagements.create({ ...input, idempotencyKey: "wamid.DEF" })),
    );
    expect(new Set(burst.map((e) => e.id)).size).toBe(1);
    const rows = await withScope(t.app, { tenantId: i.tenant.id }, (tx) => tx.select().from(engagements));
    expect(rows).toHaveLength(2);
    expect(await eventsOf(i.tenant.id, burst[0]!.id)).toEqual(["created", "message"]);
    const thread = await withScope(t.app, { tenantId: i.tenant.id }, (tx) => tx.select().from(messages));
    expect(thread.map((m) => [m.engagementId, m.body])).toEqual(
      expect.arrayContaining([
        [first.id, "Hi"],
        [burst[0]!.id, "Hi"],
      ]),
    );
    expect(thread).toHaveLength(2);
  });

  it("filters by assignee (a member, \"me\", \"none\"), label and contact, each with keyset pages", async () => {
    const f = await createTenantWithRoles(t.app, "eng-filters");
    const agent = f.as(f.agent);
    const vip = await f.as(f.admin).labels.create({ name: "VIP", color: "#aa0000" });
    const bug = await f.as(f.admin).labels.create({ name: "Bug", color: "#00aa00" });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const e = await agent.engagements.create({ channel: "email", customer: i < 3 ? "same@example.com" : `c${i}@example.com`, message: "m" });
      ids.push(e.id);
    }
    await agent.engagements.assign({ id: ids[0]!, userId: f.agent.id });
    await agent.engagements.assign({ id: ids[2]!, userId: f.agent.id });
    await agent.engagements.assign({ id: ids[3]!, userId: f.admin.id });
    await agent.engagements.setLabels({ id: ids[1]!, labelIds: [vip.id] });
    await agent.engagements.setLabels({ id: ids[2]!, labelIds: [vip.id, bug.id] });
    await agent.engagements.setLabels({ id: ids[4]!, labelIds: [bug.id] });
    const list = async (filter: Record<string, string>, caller = agent) =>
      (await allPages((cursor) => caller.engagements.list({ ...filter, limit: 1, cursor }))).items.map((e) => e.id);
    const newestFirst = (...i: number[]) => i.sort((a, b) => b - a).map((n) => ids[n]);
    expect(await list({ assignedUserId: "me" })).toEqual(newestFirst(0, 2));
    expect(await list({ assignedUserId: "me" }, f.as(f.admin))).toEqual(newestFirst(3));
    expect(await list({ assignedUserId: f.agent.id }, f.as(f.viewer))).toEqual(newestFirst(0, 2));
    expect(await list({ assignedUserId: "none" })).toEqual(newestFirst(1, 4, 5));
    expect(await list({ labelId: vip.id })).toEqual(newestFirst(1, 2));
    expect(await list({ labelId: bug.id, assignedUserId: "none" })).toEqual(newestFirst(4));
    const [first] = (await agent.engagements.list({ limit: 100 })).items.filter((e) => e.id === ids[0]);
    expect(await list({ contactId: first!.contactId! })).toEqual(newestFirst(0, 1, 2));
    // An API key is nobody: "me" is refused, a user id works.
    const key = await createKeyFixture(t.app, f.tenant.id, "viewer");
    await expect(asKey(t.app, key.key, "eng-filters").engagements.list({ assignedUserId: "me" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await asKey(t.app, key.key, "eng-filters").engagements.list({ assignedUserId: f.admin.id })).items.map((e) => e.id)).toEqual([ids[3]]);
    // Another tenant's label or contact finds nothing here.
    const o = await other.as(other.owner).labels.create({ name: "VIP", color: "#aa0000" });
    expect(await list({ labelId: o.id })).toEqual([]);
    await expect(agent.engagements.list({ assignedUserId: "everyone" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("setLabels replaces the set (labelIds on every item), refuses unknown and other tenants' labels, and emits only on a change", async () => {
    const l = await createTenantWithRoles(t.app, "eng-labels");
    const agent = l.as(l.agent);
    const [a, b, c] = await Promise.all(["A", "B", "C"].map((name, i) => l.as(l.admin).labels.create({ name, color: `#00000${i}` })));
    const e = await agent.engagements.create({ channel: "chat", customer: "labelled", message: "m" });
    const set = await agent.engagements.setLabels({ id: e.id, labelIds: [b!.id, a!.id, a!.id] });
    expect([...set.labelIds].sort()).toEqual([a!.id, b!.id].sort());
    const replaced = await agent.engagements.setLabels({ id: e.id, labelIds: [c!.id, b!.id] });
    expect([...replaced.labelIds].sort()).toEqual([b!.id, c!.id].sort());
    expect((await l.as(l.viewer).engagements.get({ id: e.id })).labelIds).toEqual(replaced.labelIds);
    expect((await l.as(l.viewer).engagements.list()).items[0]!.labelIds).toEqual(replaced.labelIds);
    await agent.engagements.setLabels({ id: e.id, labelIds: [b!.id, c!.id] });
    expect(await eventsOf(l.tenant.id, e.id)).toEqual(["created", "message", "updated", "updated"]);
    const theirs = await other.as(other.owner).labels.create({ name: "Theirs", color: "#123456" });
    await expect(agent.engagements.setLabels({ id: e.id, labelIds: [a!.id, theirs.id] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(agent.engagements.setLabels({ id: e.id, labelIds: [crypto.randomUUID()] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      agent.engagements.setLabels({ id: e.id, labelIds: Array.from({ length: 21 }, () => crypto.randomUUID()) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(l.as(l.viewer).engagements.setLabels({ id: e.id, labelIds: [] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(other.as(other.owner).engagements.setLabels({ id: e.id, labelIds: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await agent.engagements.setLabels({ id: e.id, labelIds: [] })).labelIds).toEqual([]);
    expect(await eventsOf(l.tenant.id, e.id)).toEqual(["created", "message", "updated", "updated", "updated"]);
  });

  it("setPriority changes the priority once (no-op: no event); other tenants NOT_FOUND", async () => {
    const e = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "prio", message: "m" });
    expect((await acme.as(acme.agent).engagements.setPriority({ id: e.id, priority: "urgent" })).priority).toBe("urgent");
    await acme.as(acme.agent).engagements.setPriority({ id: e.id, priority: "urgent" });
    expect(await eventsOf(acme.tenant.id, e.id)).toEqual(["created", "message", "updated"]);
    await expect(other.as(other.owner).engagements.setPriority({ id: e.id, priority: "low" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(acme.as(acme.agent).engagements.setPriority({ id: e.id, priority: "asap" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("the SLA: firstResponseDueAt from the tenant's promise; slaBreached when it passed unanswered or was answered late", async () => {
    const s = await createTenantWithRoles(t.app, "eng-sla");
    await t.owner.db.update(tenants).set({ sla: { firstResponseMinutes: 30 } }).where(eq(tenants.id, s.tenant.id));
    const agent = s.as(s.agent);
    const e = await agent.engagements.create({ channel: "chat", customer: "sla", message: "m" });
    expect(Date.parse(e.firstResponseDueAt!) - Date.parse(e.createdAt)).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(Date.parse(e.firstResponseDueAt!) - Date.parse(e.createdAt)).toBeLessThanOrEqual(30 * 60_000 + 1000);
    expect(e.slaBreached).toBe(false);
    const onTime = await agent.engagements.create({ channel: "chat", customer: "sla-2", message: "m" });
    await agent.messages.send({ engagementId: onTime.id, body: "Answered in time" });
    // The promise passes for both: unanswered is breached; answered before it (moved back in time here) is not.
    const passed = new Date(Date.now() - 60_000);
    await t.owner.db.update(engagements).set({ firstResponseDueAt: passed }).where(inArray(engagements.id, [e.id, onTime.id]));
    await t.owner.db.update(engagements).set({ firstResponseAt: new Date(passed.getTime() - 1) }).where(eq(engagements.id, onTime.id));
    const items = (await s.as(s.viewer).engagements.list()).items;
    expect(items.map((i) => [i.id, i.slaBreached])).toEqual([
      [onTime.id, false],
      [e.id, true],
    ]);
    // Answered late: still breached.
    await agent.messages.send({ engagementId: e.id, body: "Sorry for the wait" });
    expect((await agent.engagements.get({ id: e.id })).slaBreached).toBe(true);
  });

  it("routing: with round robin, create and ingest assign a new conversation to the online agent in the creation's transaction", async () => {
    const r = await createTenantWithRoles(t.app, "eng-routing");
    await t.owner.db.update(tenants).set({ routing: { mode: "round_robin", maxOpenPerAgent: 5 } }).where(eq(tenants.id, r.tenant.id));
    await r.as(r.agent).availability.set({ status: "online" });
    const created = await r.as(r.admin).engagements.create({ channel: "chat", customer: "routed-1", message: "Hi" });
    expect(created.assignedUserId).toBe(r.agent.id);
    const ingested = await r.as(r.admin).messages.ingest({ channel: "chat", handle: "routed-2", body: "Hi", externalId: "route-1" });
    expect(ingested.engagement.assignedUserId).toBe(r.agent.id);
    // Appending to an open conversation does not route it again.
    await r.as(r.agent).engagements.assign({ id: ingested.engagement.id, userId: r.admin.id });
    const appended = await r.as(r.admin).messages.ingest({ channel: "chat", handle: "routed-2", body: "Still there?", externalId: "route-2" });
    expect(appended.engagement).toMatchObject({ id: ingested.engagement.id, assignedUserId: r.admin.id });
    // Manual routing (the default) assigns nobody.
    expect((await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "manual", message: "Hi" })).assignedUserId).toBeNull();
  });

  it("resolving an e-mail conversation mails the customer the survey link (in the same transaction); other channels are not mailed", async () => {
    const c = await createTenantWithRoles(t.app, "eng-csat");
    const mail = await c.as(c.agent).engagements.create({ channel: "email", customer: "Rater@Example.com", subject: "Help", message: "Hi" });
    const chat = await c.as(c.agent).engagements.create({ channel: "chat", customer: "rater-chat", message: "Hi" });
    await c.as(c.agent).engagements.updateStatus({ id: mail.id, status: "resolved" });
    await c.as(c.agent).engagements.updateStatus({ id: chat.id, status: "resolved" });
    const { csatSurveyUrl } = await c.as(c.viewer).engagements.get({ id: mail.id });
    expect((await c.as(c.viewer).engagements.get({ id: chat.id })).csatSurveyUrl).toMatch(new RegExp(`/csat/${chat.id}\\.`));
    const outbox = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.tenantId, c.tenant.id));
    expect(outbox.map((m) => m.to)).toEqual(["rater@example.com"]);
    expect(outbox[0]!.body).toContain(csatSurveyUrl!);
    // Once the customer has rated, an agent's rating does not overwrite theirs.
    await t.owner.db.update(engagements).set({ csat: 5, csatSource: "customer" }).where(eq(engagements.id, mail.id));
    await expect(c.as(c.agent).engagements.rate({ id: mail.id, csat: 1 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await c.as(c.viewer).engagements.get({ id: mail.id })).toMatchObject({ csat: 5, csatSource: "customer" });
  });

  it("onEvent needs a live-event hub (the API provides one per process)", async () => {
    await expect(acme.as(acme.viewer).engagements.onEvent()).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
  });
});
