// /metrics over HTTP: each call of a batched request counted and timed under its own procedure, the pool's
// in-use and waiting gauges, and the transaction-duration histogram.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, mutate, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let owner: string;
let outsider: string;
const host = "metrics-co.localhost:3000";

beforeAll(async () => {
  t = await buildTestApp();
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "owner@metrics.test", password: "a long enough password", name: "Owner" }));
  expect((await mutate(t.app, "tenants.create", { name: "Metrics Co", slug: "metrics-co" }, { cookie: owner })).statusCode).toBe(200);
  outsider = sessionCookie(await mutate(t.app, "auth.register", { email: "outsider@metrics.test", password: "a long enough password", name: "Out" }));
});
afterAll(() => t?.close());

const scrape = async () => (await t.app.inject("/metrics")).body;
const sample = (body: string, name: string, labels: string) => {
  const line = body.split("\n").find((l) => l.startsWith(`${name}{${labels}}`) || (labels === "" && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};
const batch = (paths: string[], cookie: string) =>
  t.app.inject({ url: `/trpc/${paths.join(",")}?batch=1&input=${encodeURIComponent("{}")}`, headers: { host, cookie } });

describe("/metrics", () => {
  it("counts and times each call of a batch under its own procedure and code, beside the request's 'batch' label", async () => {
    const before = await scrape();
    const calls = (body: string, procedure: string, code: string) =>
      sample(body, "switchboard_procedure_calls_total", `procedure="${procedure}",type="query",code="${code}"`) ?? 0;
    expect((await batch(["auth.me", "tenant.current"], owner)).statusCode).toBe(200);
    await batch(["auth.me", "tenant.current"], outsider); // tenant.current: FORBIDDEN for a non-member
    const after = await scrape();
    expect(calls(after, "auth.me", "OK") - calls(before, "auth.me", "OK")).toBe(2);
    expect(calls(after, "tenant.current", "OK") - calls(before, "tenant.current", "OK")).toBe(1);
    expect(calls(after, "tenant.current", "FORBIDDEN") - calls(before, "tenant.current", "FORBIDDEN")).toBe(1);
    expect(sample(after, "switchboard_procedure_duration_seconds_count", `procedure="tenant.current"`)).toBeGreaterThanOrEqual(2);
    expect(sample(after, "switchboard_requests_total", `procedure="batch",status="200"`)).toBeGreaterThanOrEqual(1);
  });

  it("times transactions by outcome", async () => {
    const count = async (outcome: string) => sample(await scrape(), "switchboard_db_transaction_duration_seconds_count", `outcome="${outcome}"`) ?? 0;
    const commits = await count("commit");
    const rollbacks = await count("rollback");
    expect((await batch(["tenant.current"], owner)).statusCode).toBe(200);
    await batch(["tenant.current"], outsider); // refused inside the tenant transaction: rolled back
    expect(await count("commit")).toBeGreaterThan(commits);
    expect(await count("rollback")).toBeGreaterThan(rollbacks);
  });

  it("shows connections in use and transactions waiting for one", async () => {
    const max = t.app.db.poolStats()?.max ?? 0;
    const held = max + 2;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const running = Array.from({ length: held }, () => t.app.db.transaction(() => gate));
    try {
      // On a pool, the first `max` hold a connection and the last 2 wait; PGlite runs them in turn, no pool.
      await expect.poll(async () => sample(await scrape(), "switchboard_db_pool_in_use", "")).toBe(max ? max : held);
      expect(sample(await scrape(), "switchboard_db_pool_waiting", "")).toBe(max ? 2 : 0);
    } finally {
      release();
      await Promise.all(running);
    }
    const idle = await scrape();
    expect(sample(idle, "switchboard_db_pool_in_use", "")).toBe(0);
    expect(sample(idle, "switchboard_db_pool_waiting", "")).toBe(0);
  });
});
