// The customer's survey pages over real sockets: GET /csat/<token> and POST /csat/<token> on the tenant's host,
// plain HTML forms without script, each outcome a kind page with its status.
import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engagements, tenants } from "@switchboard/db";
import { csatSurveyUrl } from "@switchboard/trpc";
import { buildApp } from "../src/app";
import { loadEnv } from "../src/env";
import { loggerOptions } from "../src/logging";
import { buildTestApp, expectNoLeaks, mutate, query, sessionCookie, type TestApp } from "./helper";
import { rawRequest } from "./http";

let t: TestApp;
let port: number;
let owner: string;
const host = "csat-co.localhost:3000";
const otherHost = "csat-other.localhost:3000";

beforeAll(async () => {
  t = await buildTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: "1000" });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = (t.app.server.address() as { port: number }).port;
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "csat@http.test", password: "a long enough password", name: "C" }));
  for (const [name, slug] of [["Csat Co", "csat-co"], ["Other Co", "csat-other"]]) {
    expect((await mutate(t.app, "tenants.create", { name, slug }, { cookie: owner })).statusCode).toBe(200);
  }
  await t.db.owner.db.update(tenants).set({ tier: "enterprise" }).where(eq(tenants.slug, "csat-co"));
  const branded = await mutate(t.app, "tenant.update", { branding: { displayName: "Csat Care", primaryColor: "#ffcc00" } }, { host, cookie: owner });
  expect(branded.statusCode).toBe(200);
});
afterAll(() => t?.close());

/** A resolved engagement of csat-co and its survey path (`/csat/<token>`). */
async function resolved(subject = "Broken <b>kettle</b>") {
  const created = await mutate(t.app, "engagements.create", { channel: "email", customer: "jo@customer.test", subject, message: "It leaks" }, { host, cookie: owner });
  const id = created.json().result.data.id as string;
  expect((await mutate(t.app, "engagements.updateStatus", { id, status: "resolved" }, { host, cookie: owner })).statusCode).toBe(200);
  const [row] = await t.db.owner.db.select().from(engagements).where(eq(engagements.id, id));
  return { id, path: csatSurveyUrl({ secrets: t.app.auth.secrets, baseUrl: "" }, row!)! };
}

const get = (path: string, h = host) => rawRequest(port, { path, headers: { host: h } });
const post = (path: string, body: string, headers: Record<string, string> = {}, h = host) =>
  rawRequest(port, {
    path,
    method: "POST",
    headers: { host: h, "content-type": "application/x-www-form-urlencoded", origin: `http://${h}`, "sec-fetch-site": "same-origin", ...headers },
    body,
  });

describe("GET/POST /csat/<token>", () => {
  it("serves a branded form without script under a strict CSP; the answer lands once, and shows on the engagement", async () => {
    const { id, path } = await resolved();
    const page = await get(path);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["referrer-policy"]).toBe("same-origin");
    const csp = page.headers["content-security-policy"] as string;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain("Csat Care");
    expect(page.body).toContain("#ffcc00");
    expect(page.body).toContain("Broken &lt;b&gt;kettle&lt;/b&gt;");
    expect(page.body).toMatch(/<form method="post">/);
    for (let r = 1; r <= 5; r++) expect(page.body).toContain(`<input type="radio" name="rating" value="${r}" required>`);
    expect(page.body).toContain('<textarea id="comment" name="comment" rows="5" maxlength="2000">');
    // A light brand colour gets dark button text (readable).
    expect(page.body).toContain("background:#ffcc00;color:#18181b");

    const thanks = await post(path, "rating=5&comment=Fixed+in+a+day%21");
    expect(thanks.status).toBe(200);
    expect(thanks.body).toContain("Your rating of 5 out of 5 has reached Csat Care.");
    const again = await post(path, "rating=1");
    expect(again.status).toBe(409);
    expect(again.body).toContain("You have already rated this conversation");
    expect((await get(path)).body).toContain("You have already rated this conversation");
    const got = await query(t.app, "engagements.get", { id }, { host, cookie: owner });
    expect(got.json().result.data).toMatchObject({ csat: 5, csatSource: "customer", csatComment: "Fixed in a day!" });
  });

  it("a bad answer is a 400 page that keeps what was typed; nothing is recorded", async () => {
    const { id, path } = await resolved();
    for (const body of ["", "rating=0", "rating=6", "rating=five", "rating=3&rating=4", `rating=3&comment=${"x".repeat(2001)}`, "rating=3&comment=a%00b"]) {
      const res = await post(path, body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect(res.body).toContain('role="alert"');
      expectNoLeaks(res.body);
    }
    const kept = await post(path, "rating=9&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    expect(kept.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
    expect(kept.body).not.toContain("<script>");
    const [row] = await t.db.owner.db.select().from(engagements).where(eq(engagements.id, id));
    expect(row).toMatchObject({ csat: null, csatSource: null });
  });

  it("another tenant's host, a bare or foreign host, a tampered or unknown token: a 404 page", async () => {
    const { path } = await resolved();
    const other = await get(path, otherHost);
    expect(other.status).toBe(404);
    expect(other.body).toContain("This survey link does not work");
    expect((await post(path, "rating=5", {}, otherHost)).status).toBe(404);
    expect((await get(path, "localhost:3000")).status).toBe(404);
    expect((await get(path, "csat-co.evil.test")).status).toBe(404);
    expect((await get(path, "-bad-.localhost:3000")).status).toBe(404);
    const tampered = path.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    for (const p of [tampered, "/csat/nope", `/csat/${"x".repeat(4000)}`, "/csat/%00"]) {
      const res = await get(p);
      expect(res.status, p.slice(0, 60)).toBe(404);
      expectNoLeaks(res.body);
    }
    // A URL that is not even percent-encoded properly is refused before routing (400), still without internals.
    const garbled = await get("/csat/%E0%A4%A");
    expect(garbled.status).toBe(400);
    expectNoLeaks(garbled.body);
    // The first answer still works on the right host.
    expect((await post(path, "rating=4")).status).toBe(200);
  });

  it("refuses posts from another site or not sent as a form, and bodies past the limit, with pages", async () => {
    const { path } = await resolved();
    const cross = await post(path, "rating=1", { origin: `http://${otherHost}` });
    expect(cross.status).toBe(403);
    expect(cross.headers["content-type"]).toMatch(/^text\/html/);
    expect((await post(path, "rating=1", { origin: "null" })).status).toBe(403);
    expect((await post(path, "rating=1", { origin: "", "sec-fetch-site": "same-site" })).status).toBe(403);
    const asJson = await post(path, JSON.stringify({ rating: "1" }), { "content-type": "application/json" });
    expect(asJson.status).toBe(415);
    expect(asJson.body).toContain("This answer could not be read");
    const huge = await post(path, `rating=1&comment=${"x".repeat(40_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.body).toContain("too long");
    // None of those landed; an answer from the page (no Origin, as some clients send) does.
    const ok = await rawRequest(port, { path, method: "POST", headers: { host, "content-type": "application/x-www-form-urlencoded" }, body: "rating=2" });
    expect(ok.status).toBe(200);
  });

  it("limits requests per address (429 page with Retry-After); the log names the route, never the token", async () => {
    const { path } = await resolved();
    const lines: string[] = [];
    const env = loadEnv({ LOG_LEVEL: "info", AUTH_RATE_LIMIT_PER_MINUTE: "2" });
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const limited = await buildApp({ env, db: t.db.app, logger: loggerOptions(env, stream) });
    try {
      const inject = () => limited.inject({ method: "GET", url: path, headers: { host }, remoteAddress: "192.0.2.9" });
      expect((await inject()).statusCode).toBe(200);
      expect((await inject()).statusCode).toBe(200);
      const third = await inject();
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers["retry-after"])).toBeGreaterThan(0);
      expect(third.body).toContain("Too many requests");
      const token = path.split("/csat/")[1]!;
      const requests = lines.filter((l) => l.includes('"msg":"request"'));
      expect(requests).toHaveLength(3);
      expect(requests.every((l) => l.includes('"path":"/csat/:token"'))).toBe(true);
      expect(lines.join("\n")).not.toContain(token);
    } finally {
      await limited.close();
    }
  });
});
