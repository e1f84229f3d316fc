// Retries on 429 against a real HTTP server speaking tRPC's batch wire format, refusing the way the API does
// (TOO_MANY_REQUESTS with Retry-After; a batch with one refused call answers 207).
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createClient, parseRetryAfter } from "../src/index";

interface Seen {
  at: number;
  paths: string[];
}
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const refusal = (path: string) => ({
  error: { message: "Over the request budget", code: -32029, data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, path } },
});
const ok = (path: string) => ({ result: { data: { path } } });

/** Serves /trpc/<a,b>?batch=1: `answer` decides per call (true: refused), `retryAfter` is the header sent. */
async function fakeApi(answer: (path: string, request: number) => boolean, retryAfter: string | null) {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const paths = decodeURIComponent(new URL(req.url!, "http://x").pathname.replace("/trpc/", "")).split(",");
    seen.push({ at: Date.now(), paths });
    const results = paths.map((p) => (answer(p, seen.length) ? refusal(p) : ok(p)));
    const refused = results.filter((r) => "error" in r).length;
    const status = refused === 0 ? 200 : refused === results.length ? 429 : 207;
    res.writeHead(status, { "content-type": "application/json", ...(retryAfter && refused ? { "retry-after": retryAfter } : {}) });
    res.end(JSON.stringify(results));
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${port}`, seen };
}

describe("retry on TOO_MANY_REQUESTS", () => {
  it("waits what Retry-After says and resends until the call goes through", async () => {
    const api = await fakeApi((_p, n) => n <= 2, "1");
    const client = createClient({ baseUrl: api.baseUrl });
    await expect(client.tenant.current.query()).resolves.toEqual({ path: "tenant.current" });
    expect(api.seen).toHaveLength(3);
    expect(api.seen[1]!.at - api.seen[0]!.at).toBeGreaterThanOrEqual(950);
    expect(api.seen[2]!.at - api.seen[1]!.at).toBeGreaterThanOrEqual(950);
  });

  it("resends only the refused call of a batch (207)", async () => {
    const api = await fakeApi((p, n) => p === "leads.list" && n === 1, "1");
    const client = createClient({ baseUrl: api.baseUrl });
    const [a, b] = await Promise.all([client.tenant.current.query(), client.leads.list.query()]);
    expect([a, b]).toEqual([{ path: "tenant.current" }, { path: "leads.list" }]);
    expect(api.seen.map((s) => s.paths)).toEqual([["tenant.current", "leads.list"], ["leads.list"]]);
  });

  it("resends a refused mutation (a refused call did not run)", async () => {
    const api = await fakeApi((_p, n) => n === 1, "1");
    await expect(createClient({ baseUrl: api.baseUrl }).leads.create.mutate({ name: "x" })).resolves.toEqual({ path: "leads.create" });
    expect(api.seen.map((s) => s.paths)).toEqual([["leads.create"], ["leads.create"]]);
  });

  it("gives up past maxRetries, on a wait longer than maxWaitSeconds, and when retry is off", async () => {
    const api = await fakeApi(() => true, "1");
    const limited = createClient({ baseUrl: api.baseUrl, retry: { maxRetries: 1 } });
    await expect(limited.tenant.current.query()).rejects.toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
    expect(api.seen).toHaveLength(2);
    const off = createClient({ baseUrl: api.baseUrl, retry: false });
    await expect(off.tenant.current.query()).rejects.toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
    expect(api.seen).toHaveLength(3);
  });

  it("does not wait out a Retry-After beyond maxWaitSeconds", async () => {
    const api = await fakeApi(() => true, "120");
    const started = Date.now();
    await expect(createClient({ baseUrl: api.baseUrl }).tenant.current.query()).rejects.toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
    expect(api.seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("backs off on a 429 without Retry-After", async () => {
    const api = await fakeApi((_p, n) => n === 1, null);
    await expect(createClient({ baseUrl: api.baseUrl }).tenant.current.query()).resolves.toEqual({ path: "tenant.current" });
    expect(api.seen).toHaveLength(2);
    expect(api.seen[1]!.at - api.seen[0]!.at).toBeGreaterThanOrEqual(450);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-12-02T03:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7);
    expect(parseRetryAfter("Wed, 02 Dec 2026 03:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
