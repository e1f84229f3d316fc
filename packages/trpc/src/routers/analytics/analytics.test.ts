import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiUsage, calls, engagements, type NewEngagement, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { createTenantWithRoles, setTenantPlan } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let empty: Awaited<ReturnType<typeof createTenantWithRoles>>;
let noise: Awaited<ReturnType<typeof createTenantWithRoles>>;

const at = (iso: string) => new Date(iso);

/** A small data set whose figures are worked out by hand below. */
async function load(tenantId: string, withNoise = false) {
  await withScope(t.app, { tenantId }, async (tx) => {
    const call = (createdAt: string) => ({ tenantId, direction: "inbound" as const, customerPhone: "+15550000000", createdAt: at(createdAt), startedAt: at(createdAt) });
    await tx.insert(calls).values([
      call("2026-02-28T23:59:59.999Z"), // before the range
      call("2026-03-01T10:00:00Z"),
      call("2026-03-01T23:59:59.999Z"),
      call("2026-03-03T00:00:00Z"),
      call("2026-03-04T00:00:00Z"), // `to` is exclusive
    ]);
    const e = (createdAt: string, rest: Partial<NewEngagement>): NewEngagement => ({
      tenantId, channel: "whatsapp", customer: "c", message: "m", createdAt: at(createdAt), ...rest,
    });
    await tx.insert(engagements).values([
      e("2026-03-01T09:00:00Z", { firstResponseAt: at("2026-03-01T09:01:00Z"), status: "resolved", resolvedAt: at("2026-03-01T09:30:00Z"), csat: 5 }),
      e("2026-03-01T12:00:00Z", { channel: "email", firstResponseAt: at("2026-03-01T12:10:00Z"), status: "open" }),
      e("2026-03-03T08:00:00Z", {}),
      e("2026-03-03T20:00:00Z", { channel: "chat", firstResponseAt: at("2026-03-03T20:00:30Z"), status: "resolved", resolvedAt: at("2026-03-03T21:00:00Z"), csat: 2 }),
      e("2026-03-04T00:00:00Z", { channel: "voice", status: "resolved", csat: 1 }), // outside
      ...(withNoise ? [e("2026-03-02T12:00:00Z", { channel: "voice", csat: 1 })] : []),
    ]);
    const usage = (createdAt: string, promptTokens: number, completionTokens: number) => ({ tenantId, model: "m", promptTokens, completionTokens, createdAt: at(createdAt) });
    await tx.insert(aiUsage).values([
      usage("2026-02-28T23:59:59.999Z", 1000, 1000), // before the range
      usage("2026-03-01T10:00:00Z", 120, 30),
      usage("2026-03-03T23:59:59.999Z", 80, 20),
      usage("2026-03-04T00:00:00Z", 1000, 1000), // `to` is exclusive
      ...(withNoise ? [usage("2026-03-02T00:00:00Z", 7, 7)] : []),
    ]);
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "stats-acme");
  empty = await createTenantWithRoles(t.app, "stats-empty");
  noise = await createTenantWithRoles(t.app, "stats-noise");
  await load(acme.tenant.id);
  await load(noise.tenant.id, true);
});
afterAll(() => t?.close());

const range = { from: "2026-03-01T00:00:00Z", to: "2026-03-04T00:00:00Z" };

describe("analytics", () => {
  it("summary over [from, to): counts, first response, resolution rate, CSAT, by channel", async () => {
    expect(await acme.as(acme.viewer).analytics.summary(range)).toEqual({
      calls: 3,
      engagements: 4,
      avgFirstResponseSeconds: 230, // (60 + 600 + 30) / 3
      resolutionRate: 0.5, // 2 of 4
      csatAverage: 3.5, // (5 + 2) / 2
      byChannel: [
        { channel: "whatsapp", count: 2 },
        { channel: "sms", count: 0 },
        { channel: "email", count: 1 },
        { channel: "twitter", count: 0 },
        { channel: "facebook", count: 0 },
        { channel: "voice", count: 0 },
        { channel: "chat", count: 1 },
      ],
      aiUsage: { replies: 2, promptTokens: 200, completionTokens: 50 },
    });
  });

  it("a tenant with no data: zeros, and null where there is nothing to average", async () => {
    const s = await empty.as(empty.viewer).analytics.summary(range);
    expect(s).toMatchObject({ calls: 0, engagements: 0, avgFirstResponseSeconds: null, resolutionRate: 0, csatAverage: null });
    expect(s.aiUsage).toEqual({ replies: 0, promptTokens: 0, completionTokens: 0 });
    expect(s.byChannel.every((c) => c.count === 0)).toBe(true);
    const ts = await empty.as(empty.viewer).analytics.timeseries({ metric: "calls", interval: "day", ...range });
    expect(ts.points.map((p) => p.value)).toEqual([0, 0, 0]);
  });

  it("another tenant's rows never count", async () => {
    const s = await noise.as(noise.viewer).analytics.summary(range);
    expect(s.engagements).toBe(5);
    expect(s.aiUsage).toEqual({ replies: 3, promptTokens: 207, completionTokens: 57 });
    expect((await acme.as(acme.viewer).analytics.summary(range)).engagements).toBe(4);
  });

  it("timeseries: one point per UTC day, empty buckets as 0", async () => {
    const viewer = acme.as(acme.viewer);
    expect(await viewer.analytics.timeseries({ metric: "calls", interval: "day", ...range })).toEqual({
      points: [
        { t: "2026-03-01T00:00:00.000Z", value: 2 },
        { t: "2026-03-02T00:00:00.000Z", value: 0 },
        { t: "2026-03-03T00:00:00.000Z", value: 1 },
      ],
    });
    expect((await viewer.analytics.timeseries({ metric: "engagements", interval: "day", ...range })).points.map((p) => p.value)).toEqual([2, 0, 2]);
  });

  it("timeseries: hourly buckets start at the hour containing `from`", async () => {
    const res = await acme.as(acme.viewer).analytics.timeseries({
      metric: "engagements",
      interval: "hour",
      from: "2026-03-01T08:30:00Z",
      to: "2026-03-01T12:30:00Z",
    });
    expect(res.points).toEqual([
      { t: "2026-03-01T08:00:00.000Z", value: 0 },
      { t: "2026-03-01T09:00:00.000Z", value: 1 },
      { t: "2026-03-01T10:00:00.000Z", value: 0 },
      { t: "2026-03-01T11:00:00.000Z", value: 0 },
      { t: "2026-03-01T12:00:00.000Z", value: 1 },
    ]);
  });

  it("refuses reversed ranges and ranges too long for the interval", async () => {
    const viewer = acme.as(acme.viewer);
    await expect(viewer.analytics.summary({ from: range.to, to: range.from })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      viewer.analytics.timeseries({ metric: "calls", interval: "hour", from: "2026-01-01T00:00:00Z", to: "2026-02-02T00:00:01Z" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      viewer.analytics.timeseries({ metric: "calls", interval: "day", from: "2025-01-01T00:00:00Z", to: "2026-01-03T00:00:00Z" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const year = await viewer.analytics.timeseries({ metric: "calls", interval: "day", from: "2025-03-04T00:00:00Z", to: "2026-03-04T00:00:00Z" });
    expect(year.points).toHaveLength(365);
    expect(year.points.reduce((n, p) => n + p.value, 0)).toBe(4);
    await expect(viewer.analytics.timeseries({ metric: "leads" as never, interval: "day", ...range })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("caps the summary's range like the daily timeseries: a year and a day at most, clearly refused beyond", async () => {
    const viewer = acme.as(acme.viewer);
    const longest = await viewer.analytics.summary({ from: "2025-03-03T00:00:00Z", to: "2026-03-04T00:00:00Z" }); // 366 days
    expect(longest).toMatchObject({ calls: 4, engagements: 4 });
    const refused = viewer.analytics.summary({ from: "2025-03-03T00:00:00Z", to: "2026-03-04T00:00:00.001Z" });
    await expect(refused).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("at most 366 days") });
    await expect(viewer.analytics.summary({ from: "1970-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is FORBIDDEN when the tenant's analytics feature is off", async () => {
    await setTenantPlan(t.app, empty.tenant.id, { features: { analytics: false } });
    await expect(empty.as(empty.owner).analytics.summary(range)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
