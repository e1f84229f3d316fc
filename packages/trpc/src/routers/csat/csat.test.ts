import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, engagementEvents, engagements, type Tenant, tenants, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createTenantWithRoles, testAuth } from "../../testing";
import { answerSurvey, csatSurveyUrl, type CsatLinks, onResolved, openSurvey, type SurveyRequest } from "./csat.service";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;
let links: CsatLinks;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "csat-acme");
  other = await createTenantWithRoles(t.app, "csat-other");
  await acme.as(acme.admin).tenant.update({ branding: { displayName: "Acme Care", primaryColor: "#aa3300" } });
  links = { secrets: testAuth(t.app).secrets, baseUrl: "http://csat-acme.localhost:3000" };
});
afterAll(() => t?.close());

const tenantRow = (id: string) =>
  withScope(t.app, { tenantId: id }, async (tx) => (await tx.select().from(tenants).where(eq(tenants.id, id)))[0]!);
const row = (tenantId: string, id: string) =>
  withScope(t.app, { tenantId }, async (tx) => (await tx.select().from(engagements).where(eq(engagements.id, id)))[0]!);
const request = (token: string, over: Partial<SurveyRequest> = {}): SurveyRequest => ({
  db: t.app,
  secrets: testAuth(t.app).secrets,
  slug: "csat-acme",
  token,
  ip: "203.0.113.7",
  limitPerMinute: 0,
  ...over,
});
const tokenOf = (url: string | null) => url!.split("/csat/")[1]!;

async function resolvedEngagement(channel: "email" | "chat" = "email", customer = "jo@customer.test") {
  const agent = acme.as(acme.agent);
  const e = await agent.engagements.create({ channel, customer, subject: "Refund", message: "Where is my refund?" });
  await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
  return row(acme.tenant.id, e.id);
}

describe("CSAT survey", () => {
  it("a resolved engagement has one stable link on its tenant's host; an unresolved one has none", async () => {
    const e = await resolvedEngagement();
    const url = csatSurveyUrl(links, e);
    expect(url).toMatch(/^http:\/\/csat-acme\.localhost:3000\/csat\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
    expect(csatSurveyUrl(links, e)).toBe(url);
    expect(csatSurveyUrl(links, { ...e, status: "open", resolvedAt: null })).toBeNull();
    expect(await openSurvey(request(tokenOf(url)))).toEqual({
      kind: "form",
      brand: { name: "Acme Care", primaryColor: "#aa3300", logoUrl: null },
      subject: "Refund",
    });
  });

  it("records the customer's rating once, live for dashboards; a second answer is refused kindly", async () => {
    const e = await resolvedEngagement();
    const token = tokenOf(csatSurveyUrl(links, e));
    for (const form of [{}, { rating: "0" }, { rating: "6" }, { rating: "4.5" }, { rating: ["4", "5"] }, { rating: "4", comment: "x".repeat(2001) }, { rating: "4", comment: "a\u0000b" }, { rating: "4", extra: "1" }] as Record<string, string | string[]>[]) {
      const outcome = await answerSurvey(request(token), form);
      expect(outcome.kind, JSON.stringify(form)).toBe("invalid");
    }
    expect(await row(acme.tenant.id, e.id)).toMatchObject({ csat: null, csatSource: null });
    const eventsOf = async () =>
      (await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.select().from(engagementEvents).where(eq(engagementEvents.engagementId, e.id)))).map(
        (ev) => ev.type,
      );
    const before = await eventsOf();
    expect(await answerSurvey(request(token), { rating: "4", comment: "  Quick and kind.\r\nThanks!  " })).toMatchObject({ kind: "thanks", rating: 4 });
    expect(await row(acme.tenant.id, e.id)).toMatchObject({ csat: 4, csatSource: "customer", csatComment: "Quick and kind.\r\nThanks!" });
    expect(await eventsOf()).toEqual([...before, "updated"]);
    expect((await acme.as(acme.viewer).engagements.get({ id: e.id })).csatSource).toBe("customer");
    expect(await answerSurvey(request(token), { rating: "1" })).toMatchObject({ kind: "answered" });
    expect(await openSurvey(request(token))).toMatchObject({ kind: "answered" });
    expect((await row(acme.tenant.id, e.id)).csat).toBe(4);
  });

  it("two answers at once: exactly one lands", async () => {
    const e = await resolvedEngagement();
    const token = tokenOf(csatSurveyUrl(links, e));
    const outcomes = await Promise.all(["5", "1", "3"].map((rating) => answerSurvey(request(token), { rating })));
    expect(outcomes.filter((o) => o.kind === "thanks")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "answered")).toHaveLength(2);
  });

  it("a link of another tenant's host, a tampered, malformed or stale link is not found", async () => {
    const e = await resolvedEngagement();
    const token = tokenOf(csatSurveyUrl(links, e));
    expect(await openSurvey(request(token, { slug: "csat-other" }))).toMatchObject({ kind: "not-found", brand: { name: "Tenant csat-other" } });
    expect(await openSurvey(request(token, { slug: null }))).toEqual({ kind: "not-found", brand: null });
    expect(await openSurvey(request(token, { slug: "no-such-tenant" }))).toEqual({ kind: "not-found", brand: null });
    const [id, mac] = token.split(".") as [string, string];
    const flipped = `${mac.slice(0, 10)}${mac[10] === "A" ? "B" : "A"}${mac.slice(11)}`;
    for (const bad of [`${id}.${flipped}`, id, `${id}.`, "", "x".repeat(5000), `${crypto.randomUUID()}.${mac}`, `${id.toUpperCase()}.${mac}`]) {
      expect((await openSurvey(request(bad))).kind, bad.slice(0, 60)).toBe("not-found");
      expect((await answerSurvey(request(bad), { rating: "5" })).kind, bad.slice(0, 60)).toBe("not-found");
    }
    // Another key (another installation) does not verify.
    const { secrets: foreign } = testAuth(t.app);
    const forged = csatSurveyUrl({ secrets: { sign: (d, c) => foreign.sign(d, `${c}x`) }, baseUrl: "" }, e);
    expect((await openSurvey(request(tokenOf(forged)))).kind).toBe("not-found");
    // Reopened: the link stops working; resolved again: a new link works, the old one never again.
    const agent = acme.as(acme.agent);
    await agent.engagements.updateStatus({ id: e.id, status: "open" });
    expect((await openSurvey(request(token))).kind).toBe("not-found");
    await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
    const again = tokenOf(csatSurveyUrl(links, await row(acme.tenant.id, e.id)));
    expect(again).not.toBe(token);
    expect((await openSurvey(request(token))).kind).toBe("not-found");
    expect((await answerSurvey(request(again), { rating: "2" })).kind).toBe("thanks");
    // Another tenant's engagement id with this tenant's host: not found (and nothing written there).
    const theirs = await other.as(other.agent).engagements.create({ channel: "chat", customer: "v", message: "Hi" });
    await other.as(other.agent).engagements.updateStatus({ id: theirs.id, status: "resolved" });
    const theirRow = await row(other.tenant.id, theirs.id);
    const theirToken = tokenOf(csatSurveyUrl({ ...links, baseUrl: "http://csat-other.localhost:3000" }, theirRow));
    expect((await answerSurvey(request(theirToken), { rating: "1" })).kind).toBe("not-found");
    expect((await answerSurvey(request(theirToken, { slug: "csat-other" }), { rating: "1" })).kind).toBe("thanks");
  });

  it("a closed tenant's survey is not found", async () => {
    const e = await resolvedEngagement();
    const token = tokenOf(csatSurveyUrl(links, e));
    await t.owner.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, acme.tenant.id));
    try {
      expect(await openSurvey(request(token))).toEqual({ kind: "not-found", brand: null });
    } finally {
      await t.owner.db.update(tenants).set({ status: "active" }).where(eq(tenants.id, acme.tenant.id));
    }
    expect((await openSurvey(request(token))).kind).toBe("form");
  });

  it("limits requests per address and minute", async () => {
    const e = await resolvedEngagement();
    const token = tokenOf(csatSurveyUrl(links, e));
    const limited = (ip: string) => request(token, { ip, limitPerMinute: 2 });
    expect((await openSurvey(limited("198.51.100.1"))).kind).toBe("form");
    expect((await openSurvey(limited("198.51.100.1"))).kind).toBe("form");
    const third = await answerSurvey(limited("198.51.100.1"), { rating: "5" });
    expect(third).toMatchObject({ kind: "too-many", retryAfterSeconds: expect.any(Number) });
    expect((await openSurvey(limited("198.51.100.2"))).kind).toBe("form");
    expect((await row(acme.tenant.id, e.id)).csat).toBeNull();
  });

  it("onResolved mails e-mail conversations the survey in the tenant's branding, in the resolving transaction", async () => {
    const tenant: Tenant = await tenantRow(acme.tenant.id);
    // engagements.updateStatus → resolved calls onResolved in its transaction: one mail.
    const e = await resolvedEngagement("email", "mailme@customer.test");
    const mails = await t.owner.db.select().from(emailOutbox).where(and(eq(emailOutbox.to, "mailme@customer.test"), eq(emailOutbox.kind, "csat-survey")));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.tenantId).toBe(tenant.id);
    expect(mails[0]!.subject).toBe('How did we do? Rate "Refund"');
    expect(mails[0]!.body).toContain(csatSurveyUrl(links, e));
    expect(mails[0]!.html).toContain("#aa3300");
    // A rolled-back resolve mails nothing; chat conversations and customers who already rated get no mail.
    await expect(
      withScope(t.app, { tenantId: tenant.id }, async (tx) => {
        await onResolved(tx, tenant, e, links);
        throw new Error("resolve failed");
      }),
    ).rejects.toThrow(/resolve failed/);
    const chat = await resolvedEngagement("chat", "visitor-42");
    await withScope(t.app, { tenantId: tenant.id }, async (tx) => {
      await onResolved(tx, tenant, { ...chat, status: "resolved" }, links);
      await onResolved(tx, tenant, { ...e, csatSource: "customer" }, links);
      await onResolved(tx, tenant, { ...e, status: "open", resolvedAt: null }, links);
    });
    const all = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.kind, "csat-survey"));
    expect(all.filter((m) => m.to === "mailme@customer.test")).toHaveLength(1);
    expect(all.filter((m) => m.to === "visitor-42")).toHaveLength(0);
  });
});
