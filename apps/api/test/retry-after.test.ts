// Every TOO_MANY_REQUESTS answer carries Retry-After (seconds), over real HTTP: single calls, batches, and the
// tenant's request budget (which says how long until its minute ends).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBudgets, tenants } from "@switchboard/db";
import { buildTestApp, mutate, sessionCookie, type TestApp } from "./helper";
import { rawMutation, rawRequest } from "./http";

let t: TestApp;
let port: number;
let owner: string;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = (t.app.server.address() as { port: number }).port;
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "ra@http.test", password: "a long enough password", name: "R" }));
});
afterAll(() => t?.close());

/** A new tenant whose budget for the current minute other replicas have already spent. */
async function spentTenant(slug: string) {
  expect((await mutate(t.app, "tenants.create", { name: slug, slug }, { cookie: owner })).statusCode).toBe(200);
  const [tenant] = await t.db.owner.db.select().from(tenants).where(eq(tenants.slug, slug));
  const [{ windowStart }] = (await t.db.owner.db
    .insert(requestBudgets)
    .values({ tenantId: tenant!.id, windowStart: new Date(Math.floor(Date.now() / 60_000) * 60_000), count: 10_000_000 })
    .returning({ windowStart: requestBudgets.windowStart })) as [{ windowStart: Date }];
  return { secondsLeft: (windowStart.getTime() + 60_000 - Date.now()) / 1000 };
}

const retryAfter = (h: Record<string, unknown>) => Number(h["retry-after"]);

describe("Retry-After", () => {
  it("the tenant's spent request budget: 429 with the seconds until its minute ends", async () => {
    const { secondsLeft } = await spentTenant("ra-spent");
    const res = await rawRequest(port, { path: "/trpc/tenant.current", headers: { host: "ra-spent.localhost", cookie: owner } });
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toMatch(/^\d+$/);
    const seconds = retryAfter(res.headers);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(Math.abs(seconds - secondsLeft)).toBeLessThanOrEqual(2);
    // Refused again from this process's memory, before the procedure runs: still dated.
    const again = await rawRequest(port, { path: "/trpc/tenant.current", headers: { host: "ra-spent.localhost", cookie: owner } });
    expect(again.status).toBe(429);
    expect(retryAfter(again.headers)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(again.headers)).toBeLessThanOrEqual(seconds);
  });

  it("a batch with a refused call carries it too", async () => {
    await spentTenant("ra-batch");
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: {} }));
    const res = await rawRequest(port, {
      path: `/trpc/auth.me,tenant.current?batch=1&input=${input}`,
      headers: { host: "ra-batch.localhost", cookie: owner },
    });
    const [me, current] = JSON.parse(res.body);
    expect(me.result.data.user.email).toBe("ra@http.test");
    expect(current.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(retryAfter(res.headers)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(res.headers)).toBeLessThanOrEqual(60);
  });

  it("repeated failed sign-ins: 429 with Retry-After", async () => {
    let res;
    for (let i = 0; i < 30; i++) {
      res = await rawMutation(port, "auth.login", { email: "ra@http.test", password: "not the password at all" }, { host: "localhost" });
      if (res.status === 429) break;
    }
    expect(res!.status).toBe(429);
    expect(res!.headers["retry-after"]).toMatch(/^\d+$/);
    expect(retryAfter(res!.headers)).toBeGreaterThanOrEqual(1);
  });

  it("answers that are not 429 carry none", async () => {
    const res = await rawRequest(port, { path: "/trpc/auth.me", headers: { cookie: owner } });
    expect(res.status).toBe(200);
    expect(res.headers["retry-after"]).toBeUndefined();
  });
});
