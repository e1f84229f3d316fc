import { describe, expect, it } from "vitest";
import { applyEngagementChange, applyMessageTime, inboxQueryInput, type InboxFilters, noFilters, type Pages } from "./engagement-cache";
import type { Channel, EngagementStatus } from "./engagement-meta";

const ME = "00000000-0000-4000-8000-000000000001";
const e = (id: string, createdAt: string, status: EngagementStatus = "new", channel: Channel = "email", assignedUserId: string | null = null) => ({
  id,
  createdAt,
  status,
  channel,
  assignedUserId,
  labelIds: [] as string[],
  lastMessageAt: createdAt as string | null,
});
const data = (pages: ReturnType<typeof e>[][], more = false): Pages<ReturnType<typeof e>> => ({
  pages: pages.map((items, i) => ({ items, nextCursor: more || i < pages.length - 1 ? `c${i}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? undefined : `c${i - 1}`)),
});
const f = (over: Partial<InboxFilters>): InboxFilters => ({ ...noFilters, ...over });
const ids = (d: Pages<{ id: string }> | undefined) => d!.pages.flatMap((p) => p.items.map((i) => i.id));

describe("applyEngagementChange", () => {
  const loaded = data([[e("b", "2030-01-02T00:00:00Z"), e("a", "2030-01-01T00:00:00Z")]]);

  it("puts a new engagement on top", () => {
    expect(ids(applyEngagementChange(loaded, e("c", "2030-01-03T00:00:00Z"), noFilters, ME))).toEqual(["c", "b", "a"]);
  });

  it("ignores a new engagement that the filters exclude, and duplicates", () => {
    expect(ids(applyEngagementChange(loaded, e("c", "2030-01-03T00:00:00Z", "new", "voice"), f({ channel: "email" }), ME))).toEqual(["b", "a"]);
    expect(ids(applyEngagementChange(loaded, e("b", "2030-01-02T00:00:00Z"), noFilters, ME))).toEqual(["b", "a"]);
  });

  it("updates in place, and drops an engagement that no longer fits the filters", () => {
    const updated = applyEngagementChange(loaded, e("a", "2030-01-01T00:00:00Z", "open"), noFilters, ME);
    expect(updated!.pages[0]!.items.find((i) => i.id === "a")!.status).toBe("open");
    expect(ids(applyEngagementChange(loaded, e("a", "2030-01-01T00:00:00Z", "resolved"), f({ status: "new" }), ME))).toEqual(["b"]);
  });

  it("mine and unassigned follow assignment", () => {
    const assigned = e("c", "2030-01-03T00:00:00Z", "new", "email", ME);
    expect(ids(applyEngagementChange(loaded, assigned, f({ view: "mine" }), ME))).toEqual(["c", "b", "a"]);
    expect(ids(applyEngagementChange(loaded, assigned, f({ view: "unassigned" }), ME))).toEqual(["b", "a"]);
    // Taken by someone: it leaves "unassigned".
    const taken = e("a", "2030-01-01T00:00:00Z", "open", "email", "someone-else");
    expect(ids(applyEngagementChange(loaded, taken, f({ view: "unassigned" }), ME))).toEqual(["b"]);
  });

  it("with a search, never inserts (only the server matches text) but keeps rows up to date", () => {
    expect(ids(applyEngagementChange(loaded, e("c", "2030-01-03T00:00:00Z"), f({ q: "refund" }), ME))).toEqual(["b", "a"]);
    const updated = applyEngagementChange(loaded, e("a", "2030-01-01T00:00:00Z", "open"), f({ q: "refund" }), ME);
    expect(updated!.pages[0]!.items.find((i) => i.id === "a")!.status).toBe("open");
  });

  it("leaves rows older than the loaded window to Load more", () => {
    const partial = data([[e("b", "2030-01-02T00:00:00Z")]], true);
    expect(ids(applyEngagementChange(partial, e("old", "2029-12-01T00:00:00Z"), noFilters, ME))).toEqual(["b"]);
  });

  it("does nothing before the list has loaded", () => {
    expect(applyEngagementChange(undefined, e("c", "2030-01-03T00:00:00Z"), noFilters, ME)).toBeUndefined();
  });
});

describe("applyMessageTime", () => {
  it("moves a row's lastMessageAt forward, never back", () => {
    const loaded = data([[e("b", "2030-01-02T00:00:00Z"), e("a", "2030-01-01T00:00:00Z")]]);
    const later = applyMessageTime(loaded, "a", "2030-01-05T00:00:00Z");
    expect(later!.pages[0]!.items.find((i) => i.id === "a")!.lastMessageAt).toBe("2030-01-05T00:00:00Z");
    const earlier = applyMessageTime(later, "a", "2030-01-03T00:00:00Z");
    expect(earlier!.pages[0]!.items.find((i) => i.id === "a")!.lastMessageAt).toBe("2030-01-05T00:00:00Z");
  });
});

describe("inboxQueryInput", () => {
  it("sends only chosen filters", () => {
    expect(inboxQueryInput(noFilters)).toEqual({ limit: 25 });
    expect(inboxQueryInput(f({ view: "mine", channel: "voice", status: "open", labelId: "L1", q: "  refund " }))).toEqual({
      limit: 25,
      assignedUserId: "me",
      channel: "voice",
      status: "open",
      labelId: "L1",
      q: "refund",
    });
    expect(inboxQueryInput(f({ view: "unassigned" }))).toEqual({ limit: 25, assignedUserId: "none" });
  });
});
