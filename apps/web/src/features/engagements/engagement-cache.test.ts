import { describe, expect, it } from "vitest";
import { applyEngagementEvent, engagementsQueryInput, type Pages } from "./engagement-cache";
import type { Channel, EngagementStatus } from "./engagement-meta";

const e = (id: string, createdAt: string, status: EngagementStatus = "new", channel: Channel = "email") => ({ id, createdAt, status, channel });
const data = (pages: ReturnType<typeof e>[][], more = false): Pages<ReturnType<typeof e>> => ({
  pages: pages.map((items, i) => ({ items, nextCursor: more || i < pages.length - 1 ? `c${i}` : null })),
  pageParams: pages.map((_, i) => (i === 0 ? undefined : `c${i - 1}`)),
});

describe("applyEngagementEvent", () => {
  const loaded = data([[e("b", "2030-01-02T00:00:00Z"), e("a", "2030-01-01T00:00:00Z")]]);

  it("puts a new engagement on top", () => {
    const next = applyEngagementEvent(loaded, { type: "created", engagement: e("c", "2030-01-03T00:00:00Z") }, {});
    expect(next!.pages[0]!.items.map((i) => i.id)).toEqual(["c", "b", "a"]);
  });

  it("ignores a new engagement that the filters exclude, and duplicates", () => {
    const other = applyEngagementEvent(loaded, { type: "created", engagement: e("c", "2030-01-03T00:00:00Z", "new", "voice") }, { channel: "email" });
    expect(other!.pages[0]!.items.map((i) => i.id)).toEqual(["b", "a"]);
    const again = applyEngagementEvent(loaded, { type: "created", engagement: e("b", "2030-01-02T00:00:00Z") }, {});
    expect(again!.pages[0]!.items.map((i) => i.id)).toEqual(["b", "a"]);
  });

  it("updates in place, and drops an engagement that no longer fits the filters", () => {
    const updated = applyEngagementEvent(loaded, { type: "updated", engagement: e("a", "2030-01-01T00:00:00Z", "open") }, {});
    expect(updated!.pages[0]!.items.find((i) => i.id === "a")!.status).toBe("open");
    const gone = applyEngagementEvent(loaded, { type: "updated", engagement: e("a", "2030-01-01T00:00:00Z", "resolved") }, { status: "new" });
    expect(gone!.pages[0]!.items.map((i) => i.id)).toEqual(["b"]);
  });

  it("leaves rows older than the loaded window to Load more", () => {
    const partial = data([[e("b", "2030-01-02T00:00:00Z")]], true);
    const next = applyEngagementEvent(partial, { type: "created", engagement: e("old", "2029-12-01T00:00:00Z") }, {});
    expect(next!.pages[0]!.items.map((i) => i.id)).toEqual(["b"]);
  });

  it("does nothing before the list has loaded", () => {
    expect(applyEngagementEvent(undefined, { type: "created", engagement: e("c", "2030-01-03T00:00:00Z") }, {})).toBeUndefined();
  });
});

describe("engagementsQueryInput", () => {
  it("sends only chosen filters", () => {
    expect(engagementsQueryInput({ channel: "", status: "" })).toEqual({ limit: 25 });
    expect(engagementsQueryInput({ channel: "voice", status: "open" })).toEqual({ limit: 25, channel: "voice", status: "open" });
  });
});
