// Wiring through the real HTTP pipeline: health, tenant routing, sessions, CSRF, error bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, expectNoLeaks, json, mutate, query, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let ownerCookie: string;
let outsiderCookie: string;

beforeAll(async () => {
  t = await buildTestApp();
  const reg = await mutate(t.app, "auth.register", { email: "owner@http.test", password: "a long enough password", name: "Owner" });
  ownerCookie = sessionCookie(reg);
  const created = await mutate(t.app, "tenants.create", { name: "Http Co", slug: "http-co" }, { cookie: ownerCookie });
  expect(created.statusCode).toBe(200);
  const other = await mutate(t.app, "auth.register", { email: "outsider@http.test", password: "a long enough password", name: "Out" });
  outsiderCookie = sessionCookie(other);
});
afterAll(() => t?.close());

describe("health", () => {
  it("/healthz is 200 and /readyz is 200 while the database answers", async () => {
    expect((await t.app.inject("/healthz")).statusCode).toBe(200);
    expect((await t.app.inject("/readyz")).json()).toEqual({ status: "ready" });
  });

  it("/readyz is 503 while draining", async () => {
    t.app.lifecycle.draining = true;
    try {
      expect((await t.app.inject("/readyz")).statusCode).toBe(503);
    } finally {
      t.app.lifecycle.draining = false;
    }
  });

  it("/metrics exposes request counts by procedure", async () => {
    await query(t.app, "auth.me", undefined, { cookie: ownerCookie });
    const res = await t.app.inject("/metrics");
    expect(res.body).toMatch(/switchboard_requests_total\{procedure="auth.me",status="200"\} \d+/);
  });

  it("/metrics is not served to requests that came through the ingress", async () => {
    const res = await t.app.inject({ url: "/metrics", headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toMatch(/switchboard_requests_total/);
  });
});

describe("sessions over HTTP", () => {
  it("register sets an HTTP-only, SameSite=Lax cookie; me answers with it; logout ends it", async () => {
    const reg = await mutate(t.app, "auth.register", { email: "flow@http.test", password: "a long enough password", name: "Flow" });
    expect(reg.statusCode).toBe(200);
    const raw = String(reg.headers["set-cookie"]);
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Lax/);
    const cookie = sessionCookie(reg);
    const me = await query(t.app, "auth.me", undefined, { cookie });
    expect(me.json().result.data.user.email).toBe("flow@http.test");
    expect((await mutate(t.app, "auth.logout", {}, { cookie })).json().result.data).toEqual({ ok: true });
    expect((await query(t.app, "auth.me", undefined, { cookie })).statusCode).toBe(401);
  });

  it("login: right password 200 with a new cookie; wrong password 401; duplicate register 409", async () => {
    const ok = await mutate(t.app, "auth.login", { email: "owner@http.test", password: "a long enough password" });
    expect(ok.statusCode).toBe(200);
    expect(sessionCookie(ok)).not.toBe(ownerCookie);
    const bad = await mutate(t.app, "auth.login", { email: "owner@http.test", password: "wrong password!" });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.data.code).toBe("UNAUTHORIZED");
    const dup = await mutate(t.app, "auth.register", { email: "owner@http.test", password: "a long enough password", name: "X" });
    expect(dup.statusCode).toBe(409);
  });

  it("bad input is 400 naming the field, without stack traces", async () => {
    const res = await mutate(t.app, "auth.register", { email: "not-an-email", password: "a long enough password", name: "X" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/email/);
    expect(res.json().error.data.issues).toEqual([expect.objectContaining({ path: "email" })]);
    expectNoLeaks(res.body);
    const unknownKey = await mutate(t.app, "auth.login", { email: "a@b.test", password: "x", admin: true });
    expect(unknownKey.statusCode).toBe(400);
    const malformed = await t.app.inject({ method: "POST", url: "/trpc/auth.login", headers: { ...json, host: "localhost:3000", origin: "http://localhost:3000" }, payload: "{not json" });
    expect(malformed.statusCode).toBe(400);
    expectNoLeaks(malformed.body);
  });
});

describe("tenant routing", () => {
  it("takes the tenant from the Host's subdomain", async () => {
    const res = await query(t.app, "tenant.current", undefined, { host: "http-co.localhost:3000", cookie: ownerCookie });
    expect(res.statusCode).toBe(200);
    expect(res.json().result.data).toMatchObject({ slug: "http-co", name: "Http Co", memberCount: 1 });
  });

  it("takes the tenant from x-tenant on a bare host", async () => {
    const res = await query(t.app, "tenant.current", undefined, { host: "127.0.0.1:3000", cookie: ownerCookie, headers: { "x-tenant": "http-co" } });
    expect(res.json().result.data.slug).toBe("http-co");
  });

  it("bare domain: tenant procedures are BAD_REQUEST", async () => {
    const res = await query(t.app, "tenant.current", undefined, { cookie: ownerCookie });
    expect(res.statusCode).toBe(400);
  });

  it("unknown tenant is 404, non-member is 403, conflicting header is 400", async () => {
    expect((await query(t.app, "tenant.current", undefined, { host: "nope-co.localhost:3000", cookie: ownerCookie })).statusCode).toBe(404);
    const forbidden = await query(t.app, "tenant.current", undefined, { host: "http-co.localhost:3000", cookie: outsiderCookie });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.body).not.toMatch(/Http Co/);
    const conflict = await query(t.app, "tenant.current", undefined, { host: "http-co.localhost:3000", cookie: ownerCookie, headers: { "x-tenant": "other-co" } });
    expect(conflict.statusCode).toBe(400);
  });

  it("ignores X-Forwarded-Host from an untrusted client", async () => {
    const res = await query(t.app, "tenant.current", undefined, { host: "localhost:3000", cookie: ownerCookie, headers: { "x-forwarded-host": "http-co.localhost:3000" } });
    expect(res.statusCode).toBe(400);
  });

  it("list procedures accept the direction tRPC's infinite queries send", async () => {
    const res = await query(t.app, "members.list", { limit: 10, direction: "forward" }, { host: "http-co.localhost:3000", cookie: ownerCookie });
    expect(res.statusCode).toBe(200);
    expect(res.json().result.data.items).toHaveLength(1);
    const bad = await query(t.app, "members.list", { limit: 10, direction: "sideways" }, { host: "http-co.localhost:3000", cookie: ownerCookie });
    expect(bad.statusCode).toBe(400);
  });

  it("batched queries work and the batch size is capped", async () => {
    const ok = await t.app.inject({ url: `/trpc/auth.me,tenant.current?batch=1&input=${encodeURIComponent("{}")}`, headers: { host: "http-co.localhost:3000", cookie: ownerCookie } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toHaveLength(2);
    const many = Array.from({ length: 11 }, () => "auth.me").join(",");
    const tooMany = await t.app.inject({ url: `/trpc/${many}?batch=1&input=%7B%7D`, headers: { host: "localhost:3000", cookie: ownerCookie } });
    expect(tooMany.statusCode).toBe(400);
  });
});

describe("switching tenants without signing in again", () => {
  it("hands off a session to the target subdomain once", async () => {
    const list = await query(t.app, "tenants.list", undefined, { cookie: ownerCookie });
    const tenantId = list.json().result.data.items[0].id;
    const sw = await mutate(t.app, "tenants.switch", { tenantId }, { cookie: ownerCookie });
    const url = new URL(sw.json().result.data.url);
    expect(url.host).toBe("http-co.localhost:3000");
    const arrive = await t.app.inject({ url: url.pathname + url.search, headers: { host: url.host } });
    expect(arrive.statusCode).toBe(302);
    expect(arrive.headers.location).toBe("/");
    const cookie = sessionCookie(arrive);
    const current = await query(t.app, "tenant.current", undefined, { host: url.host, cookie });
    expect(current.json().result.data.slug).toBe("http-co");
    const replay = await t.app.inject({ url: url.pathname + url.search, headers: { host: url.host } });
    expect(replay.headers.location).toMatch(/sign-in/);
    expect(replay.cookies).toHaveLength(0);
  });

  it("a hand-off token is refused on another tenant's host", async () => {
    const list = await query(t.app, "tenants.list", undefined, { cookie: ownerCookie });
    const sw = await mutate(t.app, "tenants.switch", { tenantId: list.json().result.data.items[0].id }, { cookie: ownerCookie });
    const url = new URL(sw.json().result.data.url);
    const elsewhere = await t.app.inject({ url: url.pathname + url.search, headers: { host: "other-co.localhost:3000" } });
    expect(elsewhere.headers.location).toMatch(/sign-in/);
    expect(elsewhere.cookies).toHaveLength(0);
  });
});

describe("CSRF", () => {
  it("refuses a cookie mutation from another origin, even a sibling tenant subdomain", async () => {
    for (const origin of ["http://evil.test", "http://other-co.localhost:3000"]) {
      const res = await mutate(t.app, "tenants.create", { name: "Csrf Co", slug: "csrf-co" }, { cookie: ownerCookie, host: "http-co.localhost:3000", headers: { origin } });
      expect(res.statusCode, origin).toBe(403);
    }
    const noOriginCrossSite = await t.app.inject({
      method: "POST",
      url: "/trpc/tenants.create",
      headers: { ...json, host: "localhost:3000", cookie: ownerCookie, "sec-fetch-site": "same-site" },
      payload: JSON.stringify({ name: "Csrf Co", slug: "csrf-co" }),
    });
    expect(noOriginCrossSite.statusCode).toBe(403);
    const list = await query(t.app, "tenants.list", undefined, { cookie: ownerCookie });
    expect(list.body).not.toMatch(/csrf-co/);
  });

  it("refuses multipart and form-encoded mutations", async () => {
    const boundary = "----x";
    const multipart = await t.app.inject({
      method: "POST",
      url: "/trpc/tenants.create",
      headers: { host: "localhost:3000", origin: "http://localhost:3000", cookie: ownerCookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nForm Co\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode).toBe(403);
    const form = await t.app.inject({
      method: "POST",
      url: "/trpc/auth.logout",
      headers: { host: "localhost:3000", cookie: ownerCookie, "content-type": "application/x-www-form-urlencoded" },
      payload: "a=b",
    });
    expect(form.statusCode).toBe(403);
    expect((await query(t.app, "auth.me", undefined, { cookie: ownerCookie })).statusCode).toBe(200);
  });
});

describe("limits", () => {
  it("a body over the cap is 413 without internals", async () => {
    const res = await mutate(t.app, "auth.login", { email: "a@b.test", password: "x".repeat(2 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
    expectNoLeaks(res.body);
  });
});
