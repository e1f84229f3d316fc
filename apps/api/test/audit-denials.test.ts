// Outsiders' refused calls over HTTP: at most 10 `denied` audit entries per tenant and minute, the rest counted in
// /metrics (the API's registry, fed through the procedure context).
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildTestApp, mutate, query, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let owner: string;
let outsider: string;
const host = "cap-co.localhost:3000";

beforeAll(async () => {
  t = await buildTestApp();
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "cap@http.test", password: "a long enough password", name: "C" }));
  outsider = sessionCookie(await mutate(t.app, "auth.register", { email: "flood@http.test", password: "a long enough password", name: "F" }));
  expect((await mutate(t.app, "tenants.create", { name: "Cap Co", slug: "cap-co" }, { cookie: owner })).statusCode).toBe(200);
});
afterAll(() => t?.close());

const dropped = async () => Number(/^switchboard_audit_denials_dropped_total (\d+)$/m.exec((await t.app.inject("/metrics")).body)?.[1]);

it("an outsider's 13 refused calls leave 10 denied entries; /metrics counts the 3 others", async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await new Promise((r) => setTimeout(r, left + 200));
  expect(await dropped()).toBe(0);
  for (let i = 0; i < 13; i++) {
    const res = await mutate(t.app, "leads.create", { name: `spam ${i}` }, { host, cookie: outsider, headers: { "user-agent": "flooder" } });
    expect(res.statusCode).toBe(403);
  }
  const audit = await query(t.app, "audit.list", { result: "denied", limit: 100 }, { host, cookie: owner });
  expect(audit.json().result.data.items.filter((i: { userAgent: string }) => i.userAgent === "flooder")).toHaveLength(10);
  expect(await dropped()).toBe(3);
});
