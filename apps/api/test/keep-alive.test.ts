// Keep-alive over real sockets: a response that says `Connection: keep-alive` leaves the connection usable (also
// after a refused or an ended event stream), and a server that will close says `Connection: close`.
import http from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships, tenants } from "@switchboard/db";
import { buildTestApp, mutate, sessionCookie, type TestApp } from "./helper";
import { rawRequest } from "./http";

let t: TestApp;
let port: number;
let owner: string;
let outsider: string;
/** A second member, signed out in one test. */
let second: string;
const agents: http.Agent[] = [];

/** A client with ONE pooled keep-alive connection: every request after the first must reuse it. */
function client() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

const stream = (agent: http.Agent, cookie: string) =>
  rawRequest(port, {
    path: "/trpc/engagements.onEvent",
    agent,
    headers: { host: "ka-co.localhost", cookie, accept: "text/event-stream" },
  });

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = (t.app.server.address() as { port: number }).port;
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "ka@http.test", password: "a long enough password", name: "K" }));
  outsider = sessionCookie(await mutate(t.app, "auth.register", { email: "out@http.test", password: "a long enough password", name: "O" }));
  expect((await mutate(t.app, "tenants.create", { name: "KA Co", slug: "ka-co" }, { cookie: owner })).statusCode).toBe(200);
  const reg = await mutate(t.app, "auth.register", { email: "second@http.test", password: "a long enough password", name: "S" });
  second = sessionCookie(reg);
  const [tenant] = await t.db.owner.db.select().from(tenants).where(eq(tenants.slug, "ka-co"));
  await t.db.owner.db.insert(memberships).values({ tenantId: tenant!.id, userId: reg.json().result.data.user.id, role: "agent" });
});
afterAll(async () => {
  for (const a of agents) a.destroy();
  await t?.close();
});

describe("keep-alive", () => {
  it("a refused event stream leaves its connection usable for the next request", async () => {
    const agent = client();
    const refused = await stream(agent, outsider);
    expect(refused.body).toMatch(/event: serialized-error\ndata: .*"FORBIDDEN"/);
    expect(refused.headers.connection).toBe("keep-alive");
    const next = await rawRequest(port, { path: "/healthz", agent });
    expect(next.status).toBe(200);
    expect(next.reused).toBe(true);
    expect(next.localPort).toBe(refused.localPort);
  });

  it("a stream the server ends (session signed out) leaves its connection usable", async () => {
    t.app.events.recheckMs = 200;
    try {
      const agent = client();
      const opened = stream(agent, second);
      // Wait until the stream is registered before ending its session.
      for (let i = 0; i < 50 && t.app.events.size === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(t.app.events.size).toBe(1);
      expect((await mutate(t.app, "auth.logout", {}, { cookie: second })).statusCode).toBe(200);
      const ended = await opened;
      expect(ended.body).toMatch(/event: connected/);
      expect(ended.headers.connection).toBe("keep-alive");
      const next = await rawRequest(port, { path: "/trpc/auth.me", agent, headers: { cookie: owner } });
      expect(next.status).toBe(200);
      expect(next.reused).toBe(true);
      expect(next.localPort).toBe(ended.localPort);
    } finally {
      t.app.events.recheckMs = 10_000;
    }
  });

  it("ordinary responses keep the connection: many requests, one socket", async () => {
    const agent = client();
    const ports = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const res = await rawRequest(port, { path: "/trpc/auth.me", agent, headers: { cookie: owner } });
      expect(res.status).toBe(200);
      ports.add(res.localPort);
    }
    expect(ports.size).toBe(1);
  });

  it("while draining, responses say Connection: close and the server closes the connection after them", async () => {
    const agent = client();
    const before = await rawRequest(port, { path: "/healthz", agent });
    expect(before.headers.connection).toBe("keep-alive");
    t.app.lifecycle.draining = true;
    try {
      const during = await rawRequest(port, { path: "/trpc/auth.me", agent, headers: { cookie: owner } });
      expect(during.status).toBe(200);
      expect(during.reused).toBe(true);
      expect(during.headers.connection).toBe("close");
      // An event stream opened while draining says so too (tRPC's own keep-alive header is overridden).
      const s = await stream(client(), outsider);
      expect(s.headers.connection).toBe("close");
      const after = await rawRequest(port, { path: "/healthz", agent });
      expect(after.reused).toBe(false);
      expect(after.localPort).not.toBe(during.localPort);
    } finally {
      t.app.lifecycle.draining = false;
    }
  });
});

describe("shutdown", () => {
  it("closes at once with an idle keep-alive connection and an open stream; the stream ends cleanly", async () => {
    const app2 = await buildTestApp();
    await app2.app.listen({ port: 0, host: "127.0.0.1" });
    const port2 = (app2.app.server.address() as { port: number }).port;
    const cookie = sessionCookie(await mutate(app2.app, "auth.register", { email: "sd@http.test", password: "a long enough password", name: "S" }));
    expect((await mutate(app2.app, "tenants.create", { name: "SD Co", slug: "sd-co" }, { cookie })).statusCode).toBe(200);
    const idle = client();
    expect((await rawRequest(port2, { path: "/healthz", agent: idle })).headers.connection).toBe("keep-alive");
    const open = rawRequest(port2, { path: "/trpc/engagements.onEvent", agent: client(), headers: { host: "sd-co.localhost", cookie, accept: "text/event-stream" } });
    for (let i = 0; i < 50 && app2.app.events.size === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await app2.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    const ended = await open;
    expect(ended.body).toMatch(/event: return/);
  });
});
