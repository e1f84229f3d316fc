// Webhooks through the API: WEBHOOKS_ALLOW_HTTP_LOCALHOST (never in production), refused URLs as 400 with a readable
// message over HTTP, keys refused on writes, and the worker's dispatcher delivering a signed ping to a local receiver.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "@switchboard/jobs";
import { loadEnv } from "../src/env";
import { startWorker, tenantLink } from "../src/worker";
import { buildTestApp, expectNoLeaks, mutate, query, sessionCookie, type TestApp } from "./helper";

const env = { WEBHOOKS_ALLOW_HTTP_LOCALHOST: "true" };
let t: TestApp;
let owner: string;
const host = "hooks-http.localhost:3000";
let receiver: http.Server;
let receiverUrl: string;
const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  t = await buildTestApp(env);
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "hooks@http.test", password: "a long enough password", name: "H" }));
  expect((await mutate(t.app, "tenants.create", { name: "Hooks", slug: "hooks-http" }, { cookie: owner })).statusCode).toBe(200);
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await t?.close();
});

describe("WEBHOOKS_ALLOW_HTTP_LOCALHOST", () => {
  it("is off by default and refused in production", () => {
    expect(loadEnv({}).WEBHOOKS_ALLOW_HTTP_LOCALHOST).toBeUndefined();
    expect(loadEnv({ WEBHOOKS_ALLOW_HTTP_LOCALHOST: "true" }).WEBHOOKS_ALLOW_HTTP_LOCALHOST).toBe(true);
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(() => loadEnv({ NODE_ENV: "production", ENCRYPTION_KEY: key, WORKER: "false", WEBHOOKS_ALLOW_HTTP_LOCALHOST: "true" })).toThrow(
      /WEBHOOKS_ALLOW_HTTP_LOCALHOST: must not be set when NODE_ENV=production/,
    );
    expect(() => loadEnv({ WEBHOOKS_ALLOW_HTTP_LOCALHOST: "yes" })).toThrow(/WEBHOOKS_ALLOW_HTTP_LOCALHOST/);
  });

  it("mail links point at the tenant's host", () => {
    expect(tenantLink(loadEnv({ PORT: "3000" }), "acme", "/integrations/webhooks")).toBe("http://acme.localhost:3000/integrations/webhooks");
    expect(tenantLink({ cookieSecure: true, BASE_DOMAIN: "app.example.com", PORT: 8080 }, "acme", "/x")).toBe("https://acme.app.example.com/x");
  });
});

describe("webhooks over HTTP", () => {
  it("refused URLs are 400 with the reason and no internals; keys cannot write", async () => {
    for (const [url, why] of [
      ["https://169.254.169.254/latest/meta-data/", "link-local"],
      ["https://[::ffff:127.0.0.1]/", "loopback"],
      ["http://example.com/", "https"],
    ] as const) {
      const res = await mutate(t.app, "webhooks.create", { url, events: ["ping"] }, { host, cookie: owner });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain(why);
      expectNoLeaks(res.body);
    }
    const nul = await mutate(t.app, "webhooks.create", { url: "https://93.184.216.34/\u0000", events: ["ping"] }, { host, cookie: owner });
    expect(nul.statusCode).toBe(400);
    const key = (await mutate(t.app, "apiKeys.create", { name: "Ops", role: "admin" }, { host, cookie: owner })).json().result.data.key as string;
    const bearer = { authorization: `Bearer ${key}` };
    expect((await mutate(t.app, "webhooks.create", { url: "https://93.184.216.34/", events: ["ping"] }, { host, headers: bearer })).statusCode).toBe(403);
    expect((await query(t.app, "webhooks.list", undefined, { host, headers: bearer })).statusCode).toBe(200);
  });

  it("the worker's dispatcher delivers a signed ping to a local receiver", async () => {
    const created = await mutate(t.app, "webhooks.create", { url: receiverUrl, events: ["ping"] }, { host, cookie: owner });
    expect(created.statusCode).toBe(200);
    const hook = created.json().result.data as { id: string; secret: string };
    const worker = await startWorker(loadEnv({ LOG_LEVEL: "silent", ...env, ...(t.db.appUrl ? { DATABASE_URL: t.db.appUrl } : {}) }), t.db.app, pino({ level: "silent" }));
    try {
      const ping = (await mutate(t.app, "webhooks.test", { id: hook.id }, { host, cookie: owner })).json().result.data as { eventId: string };
      const end = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      const [got] = received;
      expect(got!.headers["webhook-id"]).toBe(ping.eventId);
      const ts = Number(got!.headers["webhook-timestamp"]);
      expect(got!.headers["webhook-signature"]).toBe(signWebhook(hook.secret, ping.eventId, ts, got!.body));
      expect(JSON.parse(got!.body)).toMatchObject({ type: "ping", data: { webhookId: hook.id } });
      let status = "";
      while (status !== "delivered" && Date.now() < end) {
        const res = await query(t.app, "webhooks.deliveries", { webhookId: hook.id }, { host, cookie: owner });
        status = res.json().result.data.items[0].status as string;
      }
      expect(status).toBe("delivered");
    } finally {
      await worker!.stop(2000);
    }
  });
});
