import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, webhookDeliveries, webhookEndpoints, webhookEvents, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { fanOutWebhookEvents, pruneAllWebhooks, recordWebhookEvent, webhookSecretContext } from "@switchboard/jobs";
import { asKey, callerFor, codeOf, createKeyFixture, createTenantWithRoles, testAuth } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;
beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "hooks-acme");
  other = await createTenantWithRoles(t.app, "hooks-other");
});
afterAll(() => t?.close());

const publicUrl = "https://93.184.216.34/hooks";
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; message: string }) => ({ code: e.code, message: e.message }));

describe("webhooks", () => {
  it("create shows the secret once (whsec_, 32 bytes), stores it sealed to the endpoint; list/get/update/delete; audited", async () => {
    const admin = acme.as(acme.admin);
    const created = await admin.webhooks.create({ url: publicUrl, events: ["message.created", "engagement.created"], description: "CRM" });
    expect(created).toMatchObject({ url: publicUrl, events: ["message.created", "engagement.created"], enabled: true, description: "CRM", failingSince: null });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), "base64")).toHaveLength(32);

    const [row] = await t.owner.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(row!.secretCiphertext).not.toContain(created.secret.slice(6, 20));
    expect(testAuth(t.app).secrets.open(row!.secretCiphertext, webhookSecretContext(acme.tenant.id, created.id))).toBe(created.secret);
    expect(() => testAuth(t.app).secrets.open(row!.secretCiphertext, webhookSecretContext(other.tenant.id, created.id))).toThrow();

    const listed = await admin.webhooks.list();
    expect(listed.items).toEqual([{ ...created, secret: undefined }].map(({ secret: _s, ...w }) => w));
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(JSON.stringify(await admin.webhooks.get({ id: created.id }))).not.toContain(created.secret);

    const updated = await admin.webhooks.update({ id: created.id, events: ["ping"], enabled: false, description: null });
    expect(updated).toMatchObject({ events: ["ping"], enabled: false, description: null, url: publicUrl });
    expect(await admin.webhooks.delete({ id: created.id })).toEqual({ ok: true, id: created.id });
    expect(await codeOf(admin.webhooks.get({ id: created.id }))).toBe("NOT_FOUND");

    const audit = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, acme.tenant.id), eq(auditLog.resourceType, "webhook")));
    expect(audit.map((a) => a.action).sort()).toEqual(["webhooks.create", "webhooks.delete", "webhooks.update"]);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it.each([
    ["http://93.184.216.34/hooks", "must use https"],
    ["https://127.0.0.1/hooks", "loopback"],
    ["https://localhost/hooks", "loopback"],
    ["https://169.254.169.254/latest/meta-data/", "link-local"],
    ["https://[::ffff:127.0.0.1]/", "loopback"],
    ["https://[::ffff:a9fe:a9fe]/", "link-local"],
    ["https://10.1.2.3/", "private"],
    ["https://[fd00:ec2::254]/", "private"],
    ["https://100.64.0.1/", "carrier-grade NAT"],
    ["https://user:pw@93.184.216.34/", "user name or password"],
    ["http://127.0.0.1:9/hooks", "must use https"],
  ])("refuses %s at create and at update (BAD_REQUEST, a message naming why)", async (url, why) => {
    const admin = acme.as(acme.admin);
    expect(await errorOf(admin.webhooks.create({ url, events: ["ping"] }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining(why) });
    const ok = await admin.webhooks.create({ url: publicUrl, events: ["ping"] });
    expect(await errorOf(admin.webhooks.update({ id: ok.id, url }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining(why) });
    expect((await admin.webhooks.get({ id: ok.id })).url).toBe(publicUrl);
    await admin.webhooks.delete({ id: ok.id });
  });

  it("WEBHOOKS_ALLOW_HTTP_LOCALHOST admits http://127.0.0.1 and http://localhost only", async () => {
    const dev = callerFor(t.app, { user: acme.admin, sessionId: acme.admin.sessionId, tenantSlug: "hooks-acme", config: { allowHttpLocalhost: true } });
    const local = await dev.webhooks.create({ url: "http://127.0.0.1:4010/in", events: ["ping"] });
    expect(local.url).toBe("http://127.0.0.1:4010/in");
    expect(await codeOf(dev.webhooks.create({ url: "http://10.0.0.1/in", events: ["ping"] }))).toBe("BAD_REQUEST");
    expect(await codeOf(dev.webhooks.create({ url: "http://169.254.169.254/", events: ["ping"] }))).toBe("BAD_REQUEST");
    await dev.webhooks.delete({ id: local.id });
  });

  it("validates input: events from the list, once each; strict keys; caps; NUL", async () => {
    const admin = acme.as(acme.admin);
    for (const input of [
      { url: publicUrl, events: [] },
      { url: publicUrl, events: ["nope"] },
      { url: publicUrl, events: ["ping", "ping"] },
      { url: publicUrl, events: ["ping"], extra: 1 },
      { url: `${publicUrl}\u0000`, events: ["ping"] },
      { url: publicUrl, events: ["ping"], description: "x".repeat(201) },
      { url: `https://93.184.216.34/${"a".repeat(2100)}`, events: ["ping"] },
      { url: "not a url at all", events: ["ping"] },
    ]) {
      expect(await codeOf(admin.webhooks.create(input as never))).toBe("BAD_REQUEST");
    }
    expect(await codeOf(admin.webhooks.deliveries({ webhookId: "nope" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.webhooks.redeliver({ deliveryId: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("another tenant's webhook and deliveries are NOT_FOUND; keys read but never write", async () => {
    const mine = await acme.as(acme.admin).webhooks.create({ url: publicUrl, events: ["ping"] });
    const ping = await acme.as(acme.admin).webhooks.test({ id: mine.id });
    const theirs = other.as(other.owner);
    for (const call of [
      () => theirs.webhooks.get({ id: mine.id }),
      () => theirs.webhooks.update({ id: mine.id, enabled: false }),
      () => theirs.webhooks.delete({ id: mine.id }),
      () => theirs.webhooks.test({ id: mine.id }),
      () => theirs.webhooks.deliveries({ webhookId: mine.id }),
      () => theirs.webhooks.redeliver({ deliveryId: ping.id }),
    ]) {
      expect(await codeOf(call())).toBe("NOT_FOUND");
    }
    const { key } = await createKeyFixture(t.app, acme.tenant.id, "admin");
    const k = asKey(t.app, key, "hooks-acme");
    expect((await k.webhooks.list()).items.map((w) => w.id)).toContain(mine.id);
    expect((await k.webhooks.deliveries({ webhookId: mine.id })).items).toHaveLength(1);
    for (const call of [
      () => k.webhooks.create({ url: publicUrl, events: ["ping"] }),
      () => k.webhooks.update({ id: mine.id, enabled: false }),
      () => k.webhooks.delete({ id: mine.id }),
      () => k.webhooks.test({ id: mine.id }),
      () => k.webhooks.redeliver({ deliveryId: ping.id }),
    ]) {
      expect(await codeOf(call())).toBe("FORBIDDEN");
    }
    expect(await codeOf(acme.as(acme.agent).webhooks.list())).toBe("FORBIDDEN");
    await acme.as(acme.admin).webhooks.delete({ id: mine.id });
  });

  it("test queues a ping for that endpoint alone; the log pages and filters; redeliver adds a delivery with the same event id", async () => {
    const admin = acme.as(acme.admin);
    const hook = await admin.webhooks.create({ url: publicUrl, events: ["lead.created"] });
    const ping = await admin.webhooks.test({ id: hook.id });
    expect(ping).toMatchObject({ webhookId: hook.id, event: "ping", status: "pending", attempts: 0, lastStatusCode: null, deliveredAt: null });
    const again = await admin.webhooks.redeliver({ deliveryId: ping.id });
    expect(again.id).not.toBe(ping.id);
    expect(again.eventId).toBe(ping.eventId);
    const page1 = await admin.webhooks.deliveries({ webhookId: hook.id, limit: 1 });
    const page2 = await admin.webhooks.deliveries({ webhookId: hook.id, limit: 1, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((d) => d.id).sort()).toEqual([ping.id, again.id].sort());
    expect(page2.nextCursor).toBeNull();
    expect((await admin.webhooks.deliveries({ webhookId: hook.id, status: "delivered" })).items).toEqual([]);
    await admin.webhooks.update({ id: hook.id, enabled: false });
    expect(await codeOf(admin.webhooks.test({ id: hook.id }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(admin.webhooks.redeliver({ deliveryId: ping.id }))).toBe("PRECONDITION_FAILED");
    await admin.webhooks.delete({ id: hook.id });
    const [gone] = await t.owner.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, ping.id));
    expect(gone).toBeUndefined();
  });
});

describe("the outbox (recordWebhookEvent)", () => {
  it("records the event; the fan-out queues one delivery per enabled endpoint of the tenant subscribed to the type; none subscribed: no event row; a rollback leaves nothing", async () => {
    const admin = other.as(other.admin);
    const a = await admin.webhooks.create({ url: publicUrl, events: ["lead.created", "lead.updated"] });
    const b = await admin.webhooks.create({ url: "https://93.184.216.35/b", events: ["lead.created"] });
    const off = await admin.webhooks.create({ url: "https://93.184.216.36/c", events: ["lead.created"], enabled: false });
    const elsewhere = await acme.as(acme.admin).webhooks.create({ url: publicUrl, events: ["lead.created"] });
    const tenantId = other.tenant.id;
    const orderKey = crypto.randomUUID();
    const recorded = await withScope(t.app, { tenantId }, (tx) => recordWebhookEvent(tx, tenantId, { type: "lead.created", orderKey, data: { id: orderKey } }));
    expect(recorded).toBe(1);
    expect(await t.owner.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.orderKey, orderKey))).toEqual([]);
    expect(await fanOutWebhookEvents(t.app)).toBe(1);
    const rows = await t.owner.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.orderKey, orderKey));
    expect(rows.map((r) => r.webhookId).sort()).toEqual([a.id, b.id].sort());
    expect(rows.every((r) => r.tenantId === tenantId)).toBe(true);
    expect(await fanOutWebhookEvents(t.app)).toBe(0); // fanned out once
    const [event] = await t.owner.db.select().from(webhookEvents).where(eq(webhookEvents.id, rows[0]!.eventId));
    expect(event).toMatchObject({ type: "lead.created", data: { id: orderKey } });

    const none = crypto.randomUUID();
    expect(await withScope(t.app, { tenantId }, (tx) => recordWebhookEvent(tx, tenantId, { type: "call.created", orderKey: none, data: { id: none } }))).toBe(0);
    const rolledBack = crypto.randomUUID();
    await expect(
      withScope(t.app, { tenantId }, async (tx) => {
        expect(await recordWebhookEvent(tx, tenantId, { type: "lead.updated", orderKey: rolledBack, data: { id: rolledBack } })).toBe(1);
        throw new Error("the change fails after the event was recorded");
      }),
    ).rejects.toThrow("the change fails");
    const events = await t.owner.db.select().from(webhookEvents).where(eq(webhookEvents.tenantId, tenantId));
    expect(events.map((e) => (e.data as { id: string }).id)).toEqual([orderKey]);
    expect(await fanOutWebhookEvents(t.app)).toBe(0);
    expect(await t.owner.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.orderKey, rolledBack))).toEqual([]);
    for (const id of [a.id, b.id, off.id]) await admin.webhooks.delete({ id });
    await acme.as(acme.admin).webhooks.delete({ id: elsewhere.id });
  });
});

describe("services record webhook events in the change's transaction", () => {
  it("engagements, messages, calls and leads: one event per change, data as the procedure returns it, in commit order per engagement", async () => {
    const setup = await createTenantWithRoles(t.app, "hooks-events");
    const admin = setup.as(setup.admin);
    const hook = await admin.webhooks.create({ url: publicUrl, events: ["engagement.created", "engagement.updated", "message.created", "call.created", "call.updated", "lead.created", "lead.updated"] });
    const agent = setup.as(setup.agent);
    const logged = async () => {
      await fanOutWebhookEvents(t.app);
      const rows = await t.owner.db
        .select({ type: webhookEvents.type, data: webhookEvents.data, seq: webhookDeliveries.seq, orderKey: webhookDeliveries.orderKey })
        .from(webhookDeliveries)
        .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
        .where(eq(webhookDeliveries.webhookId, hook.id));
      return rows.sort((a, b) => a.seq - b.seq);
    };

    const engagement = await agent.engagements.create({ channel: "chat", customer: "@visitor", message: "Hello there" });
    const [first] = (await agent.messages.list({ engagementId: engagement.id })).items;
    const reply = await agent.messages.send({ engagementId: engagement.id, body: "Hi! How can I help?" });
    await agent.messages.note({ engagementId: engagement.id, body: "internal only" });
    const resolved = await agent.engagements.updateStatus({ id: engagement.id, status: "resolved" });
    const afterReply = await agent.engagements.get({ id: engagement.id });
    const call = await agent.calls.create({ direction: "inbound", customerPhone: "+15550003333" });
    const callDone = await agent.calls.update({ id: call.id, status: "completed" });
    const lead = await agent.leads.create({ name: "Pat", email: "pat@example.test" });
    const leadMoved = await agent.leads.update({ id: lead.id, status: "qualified" });

    const events = await logged();
    expect(events.map((e) => [e.type, e.orderKey])).toEqual([
      ["engagement.created", engagement.id],
      ["message.created", engagement.id],
      ["message.created", engagement.id],
      ["engagement.updated", engagement.id],
      ["engagement.updated", engagement.id],
      ["call.created", call.id],
      ["call.updated", call.id],
      ["lead.created", lead.id],
      ["lead.updated", lead.id],
    ]);
    expect(events[0]!.data).toEqual(engagement);
    expect(events[1]!.data).toEqual(first);
    expect(events[2]!.data).toEqual(reply);
    expect(events[3]!.data).toMatchObject({ id: engagement.id, status: "open", firstResponseAt: reply.createdAt });
    expect(events[4]!.data).toEqual({ ...resolved, csatSurveyUrl: undefined });
    expect(JSON.stringify(events)).not.toContain("internal only");
    expect(afterReply.status).toBe("resolved");
    expect(events[5]!.data).toEqual(call);
    expect(events[6]!.data).toEqual(callDone);
    expect(events[7]!.data).toEqual(lead);
    expect(events[8]!.data).toEqual(leadMoved);

    // A refused change records nothing (the procedure's transaction rolls back).
    expect(await codeOf(setup.as(setup.viewer).leads.create({ name: "Nope" }))).toBe("FORBIDDEN");
    expect(await codeOf(agent.calls.update({ id: call.id, endedAt: "2001-01-01T00:00:00Z" }))).toBe("BAD_REQUEST");
    expect(await logged()).toHaveLength(9);
  });
});

describe("webhooks.prune", () => {
  it("removes delivered and failed deliveries and unneeded events after 30 days, in every tenant; pending ones and their events stay", async () => {
    const tenants = [acme.tenant.id, other.tenant.id];
    const hooks = await Promise.all([acme, other].map((x) => x.as(x.admin).webhooks.create({ url: publicUrl, events: ["lead.updated"] })));
    const old = new Date(Date.now() - 31 * 86_400_000);
    const keys: Record<string, string> = {};
    for (const [i, tenantId] of tenants.entries()) {
      for (const kind of ["old-delivered", "old-failed", "old-pending", "new-delivered"]) {
        const key = crypto.randomUUID();
        keys[`${i}:${kind}`] = key;
        await withScope(t.app, { tenantId }, (tx) => recordWebhookEvent(tx, tenantId, { type: "lead.updated", orderKey: key, data: { id: key } }));
        await fanOutWebhookEvents(t.app);
        const [d] = await t.owner.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.orderKey, key));
        const status = kind.endsWith("pending") ? "pending" : kind.endsWith("failed") ? "failed" : "delivered";
        const at = kind.startsWith("old") ? old : new Date();
        await t.owner.db.update(webhookDeliveries).set({ status, createdAt: at }).where(eq(webhookDeliveries.id, d!.id));
        await t.owner.db.update(webhookEvents).set({ createdAt: at }).where(eq(webhookEvents.id, d!.eventId));
      }
    }
    // An old event still waiting for its fan-out (in practice it is fanned out within milliseconds) is not pruned.
    const waiting = crypto.randomUUID();
    await withScope(t.app, { tenantId: tenants[0]! }, (tx) => recordWebhookEvent(tx, tenants[0]!, { type: "lead.updated", orderKey: waiting, data: { id: waiting } }));
    await t.owner.db.update(webhookEvents).set({ createdAt: old }).where(eq(webhookEvents.orderKey, waiting));
    const result = await pruneAllWebhooks(t.app);
    expect(result).toMatchObject({ deliveries: 4, events: 4 });
    expect(await t.owner.db.select().from(webhookEvents).where(eq(webhookEvents.orderKey, waiting))).toHaveLength(1);
    for (const i of [0, 1]) {
      const left = async (kind: string) => (await t.owner.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.orderKey, keys[`${i}:${kind}`]!))).length;
      expect([await left("old-delivered"), await left("old-failed"), await left("old-pending"), await left("new-delivered")]).toEqual([0, 0, 1, 1]);
    }
    const events = await t.owner.db.select({ data: webhookEvents.data }).from(webhookEvents);
    const ids = new Set(events.map((e) => (e.data as { id?: string }).id));
    expect(Object.entries(keys).filter(([, v]) => ids.has(v)).map(([k]) => k.split(":")[1]).sort()).toEqual(["new-delivered", "new-delivered", "old-pending", "old-pending"]);
    for (const [i, x] of [acme, other].entries()) await x.as(x.admin).webhooks.delete({ id: hooks[i]!.id });
  });
});
