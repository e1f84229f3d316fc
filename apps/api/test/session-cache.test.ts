// The session cache (SESSION_CACHE_SECONDS): revocations reach every replica by NOTIFY on `session_revoked`,
// and a cached session still obeys the idle and absolute expiry.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb, type DbHandle } from "@switchboard/db";
import { testDatabaseKind } from "@switchboard/db/testing";
import { buildApp, type App } from "../src/app";
import { loadEnv } from "../src/env";
import { buildTestApp, mutate, query, sessionCookie } from "./helper";

afterEach(() => vi.useRealTimers());

const password = "a long enough password";

/** Polls `auth.me` on `app` until it is refused; returns the milliseconds it took. */
async function msUntilRefused(app: App, cookie: string, limitMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const status = (await query(app, "auth.me", undefined, { cookie })).statusCode;
    const elapsed = Date.now() - start;
    if (status === 401) return elapsed;
    expect(status).toBe(200);
    if (elapsed > limitMs) return elapsed;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(testDatabaseKind() !== "postgres")("session cache across replicas (real PostgreSQL)", () => {
  it("a logout or password change on one instance is refused on the other within 1 s", async () => {
    // A TTL far longer than the bound asserted: only the notification can explain a refusal within 1 s.
    const env = { LOG_LEVEL: "silent", SESSION_CACHE_SECONDS: "300" } as const;
    const one = await buildTestApp(env);
    let second: DbHandle | null = null;
    let two: App | null = null;
    try {
      second = await createDb({ url: one.db.appUrl!, max: 5 });
      two = await buildApp({ env: loadEnv(env), db: second, logger: false });
      await two.ready();

      const a = sessionCookie(await mutate(one.app, "auth.register", { email: "cache@replicas.test", password, name: "C" }));
      const b = sessionCookie(await mutate(one.app, "auth.login", { email: "cache@replicas.test", password }));
      const c = sessionCookie(await mutate(one.app, "auth.login", { email: "cache@replicas.test", password }));
      for (const cookie of [a, b, c]) {
        for (const app of [one.app, two]) expect((await query(app, "auth.me", undefined, { cookie })).statusCode).toBe(200);
      }

      // Logout of one session: refused at once where it happened, within 1 s on the other replica.
      expect((await mutate(one.app, "auth.logout", {}, { cookie: a })).statusCode).toBe(200);
      expect((await query(one.app, "auth.me", undefined, { cookie: a })).statusCode).toBe(401);
      expect(await msUntilRefused(two, a, 1000)).toBeLessThan(1000);
      expect((await query(two, "auth.me", undefined, { cookie: b })).statusCode).toBe(200);

      // Password change on replica 2 ends every session of the user, also those cached on replica 1.
      const changed = await mutate(two, "auth.changePassword", { currentPassword: password, newPassword: "another long password" }, { cookie: b });
      expect(changed.statusCode).toBe(200);
      expect((await query(two, "auth.me", undefined, { cookie: c })).statusCode).toBe(401);
      expect(await msUntilRefused(one.app, c, 1000)).toBeLessThan(1000);
      expect(await msUntilRefused(one.app, b, 1000)).toBeLessThan(1000);
      const fresh = sessionCookie(changed);
      for (const app of [one.app, two]) expect((await query(app, "auth.me", undefined, { cookie: fresh })).statusCode).toBe(200);
    } finally {
      await two?.close();
      await second?.close();
      await one.close();
    }
  });
});

describe("session cache and expiry", () => {
  it("the idle timeout and the absolute lifetime still apply to cached sessions", async () => {
    const t = await buildTestApp({ SESSION_CACHE_SECONDS: "300", SESSION_IDLE_TIMEOUT_SECONDS: "120", SESSION_ABSOLUTE_LIFETIME_SECONDS: "300" });
    try {
      vi.useFakeTimers({ toFake: ["Date"] });
      const now = Date.now();
      const cookie = sessionCookie(await mutate(t.app, "auth.register", { email: "expiry@cache.test", password, name: "E" }));
      for (const at of [1_000, 50_000, 100_000, 150_000, 200_000, 250_000, 290_000, 295_000]) {
        vi.setSystemTime(now + at);
        expect((await query(t.app, "auth.me", undefined, { cookie })).statusCode, `at ${at} ms`).toBe(200);
      }
      // Cached 6 s ago with most of its idle window left, but past the absolute lifetime.
      vi.setSystemTime(now + 301_000);
      expect((await query(t.app, "auth.me", undefined, { cookie })).statusCode).toBe(401);

      const idle = sessionCookie(await mutate(t.app, "auth.login", { email: "expiry@cache.test", password }));
      vi.setSystemTime(now + 302_000);
      expect((await query(t.app, "auth.me", undefined, { cookie: idle })).statusCode).toBe(200); // cached now
      vi.setSystemTime(now + 301_000 + 121_000);
      expect((await query(t.app, "auth.me", undefined, { cookie: idle })).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
      await t.close();
    }
  });
});
