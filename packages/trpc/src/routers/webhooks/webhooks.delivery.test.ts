// Deliveries end to end: procedures → outbox → dispatcher → a local receiver over real HTTP, signatures checked with
// the `standardwebhooks` package (an independent implementation), retries with the same webhook-id, order per
// engagement, no redirects, the address rules again at send time, and endpoints disabled after failing.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, webhookEndpoints } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { startWebhookDispatcher, type WebhookDispatcherOptions } from "@switchboard/jobs";
import { callerFor, createTenantWithRoles, testAuth } from "../../testing";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let t: TestDatabase;
let setup: Awaited<ReturnType<typeof createTenantWithRoles>>;
let base: string;
const received: Received[] = [];
/** Per path: the statuses to answer in turn (then 200). */
const script = new Map<string, number[]>();
let server: http.Server;

beforeAll(async () => {
  t = await createTestDatabase();
  setup = await createTenantWithRoles(t.app, "deliver-co");
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body });
      const status = script.get(path)?.shift() ?? 200;
      if (status === 302) res.writeHead(302, { location: "/moved" }).end();
      else res.writeHead(status).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

const silent = { info() {}, warn() {}, error() {} };
const dev = () => callerFor(t.app, { user: setup.admin, sessionId: setup.admin.sessionId, tenantSlug: "deliver-co", config: { allowHttpLocalhost: true } });

async function withDispatcher<T>(opts: Partial<WebhookDispatcherOptions>, fn: () => Promise<T>): Promise<T> {
  const dispatcher = await startWebhookDispatcher({
    db: t.app,
    secrets: testAuth(t.app).secrets,
    allowHttpLocalhost: true,
    tenantLink: (slug, path) => `http://${slug}.localhost:3000${path}`,
    log: silent,
    pollMs: 100,
    backoffMs: () => 150,
    ...opts,
  });
  try {
    return await fn();
  } finally {
    await dispatcher.stop(2000);
  }
}

async function until<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const at = (path: string) => received.filter((r) => r.path === path);

describe("webhook delivery", () => {
  it("signs per Standard Webhooks (verified by the standardwebhooks package) and logs the delivery", async () => {
    const hook = await dev().webhooks.create({ url: `${base}/ping`, events: ["ping"] });
    await withDispatcher({}, async () => {
      const queued = await dev().webhooks.test({ id: hook.id });
      const [got] = await until(() => at("/ping").length === 1 && at("/ping"));
      const payload = new Webhook(hook.secret).verify(got!.body, got!.headers as Record<string, string>) as { type: string; timestamp: string; data: unknown };
      expect(payload).toEqual({ type: "ping", timestamp: expect.any(String), data: { webhookId: hook.id, message: "A test event from Switchboard" } });
      expect(got!.headers["webhook-id"]).toBe(queued.eventId);
      expect(got!.headers["content-type"]).toBe("application/json");
      expect(Math.abs(Number(got!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
      // Another secret, or a tampered body, does not verify.
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(got!.body, got!.headers as Record<string, string>)).toThrow();
      expect(() => new Webhook(hook.secret).verify(got!.body.replace("ping", "pong"), got!.headers as Record<string, string>)).toThrow();
      const [logged] = await until(async () => {
        const items = (await dev().webhooks.deliveries({ webhookId: hook.id })).items;
        return items[0]?.status === "delivered" && items;
      });
      expect(logged).toMatchObject({ id: queued.id, event: "ping", status: "delivered", attempts: 1, lastStatusCode: 200, lastError: null });
    });
  });

  it("a receiver that fails twice, then answers 2xx, gets the event again with the same webhook-id; the failure run is tracked", async () => {
    script.set("/flaky", [500, 503]);
    const hook = await dev().webhooks.create({ url: `${base}/flaky`, events: ["lead.created"] });
    await withDispatcher({}, async () => {
      const lead = await setup.as(setup.agent).leads.create({ name: "Flaky Lead" });
      const got = await until(() => at("/flaky").length === 3 && at("/flaky"));
      expect(new Set(got.map((r) => r.headers["webhook-id"])).size).toBe(1);
      for (const r of got) {
        expect(new Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>)).toMatchObject({ type: "lead.created", data: lead });
      }
      const [d] = await until(async () => {
        const items = (await dev().webhooks.deliveries({ webhookId: hook.id })).items;
        return items[0]?.status === "delivered" && items;
      });
      expect(d).toMatchObject({ attempts: 3, lastStatusCode: 200 });
      expect((await dev().webhooks.get({ id: hook.id })).failingSince).toBeNull();
    });
  });

  it("sends one engagement's events in commit order, even when the first has to be retried", async () => {
    script.set("/ordered", [500]);
    const hook = await dev().webhooks.create({ url: `${base}/ordered`, events: ["engagement.created", "engagement.updated", "message.created"] });
    await withDispatcher({ concurrency: 16 }, async () => {
      const agent = setup.as(setup.agent);
      const e = await agent.engagements.create({ channel: "chat", customer: "@orderly", message: "first" });
      for (let i = 0; i < 5; i++) await agent.messages.send({ engagementId: e.id, body: `reply ${i}` });
      await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
      // created, first message, 5 replies (the first also opens it: updated), resolved.
      const expected = 1 + 1 + 5 + 1 + 1;
      const got = await until(() => new Set(at("/ordered").map((r) => r.headers["webhook-id"])).size === expected && at("/ordered"));
      const firstSeen: string[] = [];
      for (const r of got) {
        const id = r.headers["webhook-id"] as string;
        if (!firstSeen.includes(id)) firstSeen.push(id);
      }
      const bodies = firstSeen.map((id) => JSON.parse(got.find((r) => r.headers["webhook-id"] === id)!.body) as { type: string; data: { body?: string; status?: string } });
      expect(bodies.map((b) => b.type)).toEqual([
        "engagement.created",
        "message.created",
        "message.created",
        "engagement.updated",
        "message.created",
        "message.created",
        "message.created",
        "message.created",
        "engagement.updated",
      ]);
      expect(bodies.filter((b) => b.type === "message.created").map((b) => b.data.body)).toEqual(["first", "reply 0", "reply 1", "reply 2", "reply 3", "reply 4"]);
      expect(bodies.at(-1)!.data.status).toBe("resolved");
      // The first was answered 500 once and sent again before anything else.
      expect(got[0]!.headers["webhook-id"]).toBe(got[1]!.headers["webhook-id"]);
      // Successes are committed in groups after the answers arrive: the log says delivered once they are.
      await expect
        .poll(async () => (await dev().webhooks.deliveries({ webhookId: hook.id })).items.every((d) => d.status === "delivered"), { timeout: 10_000 })
        .toBe(true);
    });
  });

  it("keeps at most perEndpoint requests in flight per endpoint, and still delivers everything", async () => {
    let open = 0;
    let most = 0;
    let done = 0;
    const slow = http.createServer((req, res) => {
      open += 1;
      most = Math.max(most, open);
      req.resume();
      setTimeout(() => {
        open -= 1;
        done += 1;
        res.writeHead(200).end();
      }, 30);
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const hook = await dev().webhooks.create({ url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, events: ["call.created"] });
    try {
      await withDispatcher({ perEndpoint: 2, concurrency: 16 }, async () => {
        const agent = setup.as(setup.agent);
        await Promise.all(Array.from({ length: 12 }, (_, i) => agent.calls.create({ direction: "outbound", customerPhone: `+1555000${1000 + i}` })));
        await until(() => done === 12);
      });
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      slow.closeAllConnections();
      await new Promise((r) => slow.close(r));
      await dev().webhooks.delete({ id: hook.id });
    }
  });

  it("never follows a redirect: a 302 is a failure, the Location is not requested", async () => {
    script.set("/redirect", [302, 302, 302, 302, 302, 302]);
    const hook = await dev().webhooks.create({ url: `${base}/redirect`, events: ["ping"] });
    await withDispatcher({}, async () => {
      await dev().webhooks.test({ id: hook.id });
      const [d] = await until(async () => {
        const items = (await dev().webhooks.deliveries({ webhookId: hook.id })).items;
        return items[0] && items[0].attempts >= 2 && items;
      });
      expect(d).toMatchObject({ status: "pending", lastStatusCode: 302, lastError: "HTTP 302" });
      expect(at("/moved")).toEqual([]);
      expect((await dev().webhooks.get({ id: hook.id })).failingSince).not.toBeNull();
    });
    await dev().webhooks.delete({ id: hook.id });
  });

  it("checks the address again at send time: refused URLs and a name that now resolves elsewhere are never contacted", async () => {
    const plain = await dev().webhooks.create({ url: `${base}/later-refused`, events: ["ping"] });
    const port = new URL(base).port;
    const byName = await dev().webhooks.create({ url: `http://localhost:${port}/rebound`, events: ["ping"] });
    // Without WEBHOOKS_ALLOW_HTTP_LOCALHOST (the setting was dropped since the URL was saved) the saved URL is refused.
    await withDispatcher({ allowHttpLocalhost: false }, async () => {
      await dev().webhooks.test({ id: plain.id });
      const [d] = await until(async () => {
        const items = (await dev().webhooks.deliveries({ webhookId: plain.id })).items;
        return (items[0]?.attempts ?? 0) > 0 && items;
      });
      expect(d).toMatchObject({ lastStatusCode: null, lastError: "The URL must use https" });
    });
    expect(at("/later-refused")).toEqual([]);
    await dev().webhooks.delete({ id: plain.id });
    // DNS now answers a private address for the saved name: refused, nothing sent there or anywhere.
    await withDispatcher({ resolver: async () => ["10.20.30.40"] }, async () => {
      await dev().webhooks.test({ id: byName.id });
      const [d] = await until(async () => {
        const items = (await dev().webhooks.deliveries({ webhookId: byName.id })).items;
        return (items[0]?.attempts ?? 0) > 0 && items;
      });
      expect(d!.lastError).toContain("must resolve to a loopback address");
    });
    expect(at("/rebound")).toEqual([]);
    await dev().webhooks.delete({ id: byName.id });
  });

  it("gives up after the retry window, and disables an endpoint failing too long, mailing the tenant's owners and admins", async () => {
    script.set("/down", Array.from({ length: 50 }, () => 500));
    const hook = await dev().webhooks.create({ url: `${base}/down`, events: ["ping"] });
    await withDispatcher({ retryWindowMs: 400, disableAfterMs: 60_000 }, async () => {
      await dev().webhooks.test({ id: hook.id });
      const [d] = await until(async () => {
        const items = (await dev().webhooks.deliveries({ webhookId: hook.id })).items;
        return items[0]?.status === "failed" && items;
      });
      expect(d!.attempts).toBeGreaterThanOrEqual(2);
      expect(d!.lastError).toBe("HTTP 500");
      expect((await dev().webhooks.get({ id: hook.id })).enabled).toBe(true);
    });
    // Failing since long enough ago: the next failure switches it off, once.
    await t.owner.db.update(webhookEndpoints).set({ failingSince: new Date(Date.now() - 4 * 86_400_000) }).where(eq(webhookEndpoints.id, hook.id));
    await withDispatcher({ disableAfterMs: 3 * 86_400_000 }, async () => {
      await dev().webhooks.test({ id: hook.id });
      const off = await until(async () => {
        const w = await dev().webhooks.get({ id: hook.id });
        return !w.enabled && w;
      });
      expect(off.disabledReason).toContain("Deliveries failed since");
    });
    const mails = await t.owner.db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.tenantId, setup.tenant.id), eq(emailOutbox.kind, "webhook-disabled")));
    expect(mails.map((m) => m.to).sort()).toEqual([setup.owner.email, setup.admin.email].sort());
    expect(mails[0]!.body).toContain(`${base}/down`);
    expect(mails[0]!.body).toContain("http://deliver-co.localhost:3000/integrations/webhooks");
    // Enabling again ends the failure run and clears the reason.
    const again = await dev().webhooks.update({ id: hook.id, enabled: true });
    expect(again).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await dev().webhooks.delete({ id: hook.id });
  });
});
