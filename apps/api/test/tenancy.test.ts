// Tenancy through the real HTTP pipeline: API keys (Bearer), CSRF between tenant subdomains, login throttling,
// session settings from the environment.
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { tenants } from "@switchboard/db";
import { buildTestApp, expectNoLeaks, json, mutate, query, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let owner: string;
let acmeKey: string;
let viewerKey: string;
const acme = "acme-http.localhost:3000";
const globex = "globex-http.localhost:3000";

beforeAll(async () => {
  t = await buildTestApp();
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "owner@tenancy.test", password: "a long enough password", name: "O" }));
  const org = await mutate(t.app, "tenants.create", { name: "Acme", slug: "acme-http" }, { cookie: owner });
  await mutate(t.app, "tenants.create", { name: "Acme Dept", slug: "acme-http-dept", parentId: org.json().result.data.id }, { cookie: owner });
  await mutate(t.app, "tenants.create", { name: "Globex", slug: "globex-http" }, { cookie: owner });
  const key = await mutate(t.app, "apiKeys.create", { name: "CI", role: "admin" }, { cookie: owner, host: acme });
  expect(key.statusCode).toBe(200);
  acmeKey = key.json().result.data.key;
  viewerKey = (await mutate(t.app, "apiKeys.create", { name: "RO", role: "viewer" }, { cookie: owner, host: acme })).json().result.data.key;
});
afterAll(() => t?.close());
afterEach(() => vi.useRealTimers());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("API keys over HTTP", () => {
  it("select their own tenant on a bare host, and are refused anywhere else (403), sub-tenants included", async () => {
    const bare = await query(t.app, "tenant.current", undefined, { headers: bearer(acmeKey) });
    expect(bare.statusCode).toBe(200);
    expect(bare.json().result.data.slug).toBe("acme-http");
    expect((await query(t.app, "tenant.current", undefined, { host: acme, headers: bearer(acmeKey) })).statusCode).toBe(200);
    for (const headers of [{ "x-tenant": "globex-http" }, { "x-tenant": "acme-http-dept" }]) {
      const res = await query(t.app, "tenant.current", undefined, { headers: { ...bearer(acmeKey), ...headers } });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.body).not.toMatch(/Globex|Acme Dept/);
    }
    expect((await query(t.app, "tenant.current", undefined, { host: globex, headers: bearer(acmeKey) })).statusCode).toBe(403);
    expect((await query(t.app, "tenant.current", undefined, { headers: bearer(`sk_${"A".repeat(43)}`) })).statusCode).toBe(401);
  });

  it("are exempt from the cookie CSRF check (no browser sends them), and the cookie is then ignored", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/trpc/leads.create",
      headers: { ...json, host: "localhost:3000", origin: "https://integrations.example", ...bearer(acmeKey) },
      payload: JSON.stringify({ name: "From a key" }),
    });
    expect(res.statusCode).toBe(200);
    // A key works data, never access (settings included), whatever its role.
    expect((await mutate(t.app, "tenant.update", { settings: { fromKey: true } }, { headers: bearer(acmeKey) })).statusCode).toBe(403);
    // A viewer key together with the owner's cookie acts as the viewer key.
    const both = await mutate(t.app, "tenant.update", { name: "Hijacked" }, { host: acme, cookie: owner, headers: bearer(viewerKey) });
    expect(both.statusCode).toBe(403);
    // Any other Authorization header does not exempt a cookie request.
    for (const authorization of ["Basic Zm9vOmJhcg==", "Bearer not-a-key", `Bearer ${acmeKey} extra`]) {
      const forged = await mutate(t.app, "tenant.update", { name: "Hijacked" }, {
        host: acme,
        cookie: owner,
        headers: { origin: `http://${globex}`, authorization },
      });
      expect(forged.statusCode, authorization).toBe(403);
    }
    const [row] = await t.db.owner.db.select().from(tenants).where(eq(tenants.slug, "acme-http"));
    expect(row!.name).toBe("Acme");
    expect(row!.settings).toEqual({});
  });
});

describe("CSRF between tenant subdomains", () => {
  it("a page on one tenant's subdomain cannot post to another's: cross-origin, same-site or multipart", async () => {
    const attempts = [
      { host: acme, cookie: owner, headers: { origin: `http://${globex}` } },
      { host: acme, cookie: owner, headers: { origin: "null" } },
      { host: acme, cookie: owner, headers: { origin: `https://${acme}` } },
    ];
    for (const a of attempts) {
      const res = await mutate(t.app, "members.add", { email: "csrf@tenancy.test", role: "admin" }, a);
      expect(res.statusCode, JSON.stringify(a.headers)).toBe(403);
    }
    const sameSite = await t.app.inject({
      method: "POST",
      url: "/trpc/members.add",
      headers: { ...json, host: acme, cookie: owner, "sec-fetch-site": "same-site" },
      payload: JSON.stringify({ email: "csrf@tenancy.test", role: "admin" }),
    });
    expect(sameSite.statusCode).toBe(403);
    for (const contentType of ["multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded"]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/trpc/members.add",
        headers: { host: acme, origin: `http://${acme}`, cookie: owner, "content-type": contentType },
        payload: contentType.startsWith("multipart")
          ? `--x\r\nContent-Disposition: form-data; name="email"\r\n\r\ncsrf@tenancy.test\r\n--x--\r\n`
          : JSON.stringify({ email: "csrf@tenancy.test", role: "admin" }),
      });
      expect(res.statusCode, contentType).toBe(403);
      expectNoLeaks(res.body);
    }
    const invites = await query(t.app, "invitations.list", undefined, { host: acme, cookie: owner });
    expect(invites.body).not.toMatch(/csrf@tenancy/);
    // The same request from the tenant's own origin works.
    expect((await mutate(t.app, "members.add", { email: "csrf@tenancy.test", role: "admin" }, { host: acme, cookie: owner })).statusCode).toBe(200);
  });
});

describe("login throttling over HTTP", () => {
  it("answers 429 after repeated failures, in tRPC's error shape", async () => {
    await mutate(t.app, "auth.register", { email: "throttle@tenancy.test", password: "a long enough password", name: "T" });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await mutate(t.app, "auth.login", { email: "throttle@tenancy.test", password: "wrong password" })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const res = await mutate(t.app, "auth.login", { email: "throttle@tenancy.test", password: "a long enough password" });
    expect(res.statusCode).toBe(429);
    expect(res.json().error.data.code).toBe("TOO_MANY_REQUESTS");
  });
});

describe("session settings from the environment", () => {
  it("SESSION_IDLE_TIMEOUT_SECONDS and SESSION_ABSOLUTE_LIFETIME_SECONDS apply", async () => {
    const short = await buildTestApp({ SESSION_IDLE_TIMEOUT_SECONDS: "120", SESSION_ABSOLUTE_LIFETIME_SECONDS: "300" });
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      const now = Date.now();
      const cookie = sessionCookie(await mutate(short.app, "auth.register", { email: "idle@tenancy.test", password: "a long enough password", name: "I" }));
      expect(String((await mutate(short.app, "auth.login", { email: "idle@tenancy.test", password: "a long enough password" })).headers["set-cookie"])).toMatch(/Max-Age=300/);
      vi.setSystemTime(now + 100_000);
      expect((await query(short.app, "auth.me", undefined, { cookie })).statusCode).toBe(200);
      vi.setSystemTime(now + 200_000);
      expect((await query(short.app, "auth.me", undefined, { cookie })).statusCode).toBe(200);
      vi.setSystemTime(now + 290_000);
      expect((await query(short.app, "auth.me", undefined, { cookie })).statusCode).toBe(200);
      vi.setSystemTime(now + 301_000);
      expect((await query(short.app, "auth.me", undefined, { cookie })).statusCode).toBe(401);
      const idle = sessionCookie(await mutate(short.app, "auth.login", { email: "idle@tenancy.test", password: "a long enough password" }));
      vi.setSystemTime(now + 301_000 + 121_000);
      expect((await query(short.app, "auth.me", undefined, { cookie: idle })).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
      await short.close();
    }
  });
});
