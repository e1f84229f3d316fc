import { describe, expect, it } from "vitest";
import { detailLines } from "./audit-details";

describe("detailLines", () => {
  it("lists what a plan change changed", () => {
    const details = {
      before: { tier: "free", maxUsers: 5, features: {}, requestsPerMinute: null },
      after: { tier: "pro", maxUsers: 5, features: { maxAgents: 30 }, requestsPerMinute: 4000 },
    };
    expect(detailLines(details)).toEqual(["tier: free → pro", 'features: none → {"maxAgents":30}', "requestsPerMinute: default → 4000"]);
    expect(detailLines({ before: { tier: "pro" }, after: { tier: "pro" } })).toEqual(["no change"]);
  });

  it("shows other fields as they are", () => {
    expect(detailLines({ reason: "Unpaid invoices", previousStatus: "active" })).toEqual(["reason: Unpaid invoices", "previousStatus: active"]);
    expect(detailLines({ deleted: 1200, departments: ["a", "b"] })).toEqual(["deleted: 1200", 'departments: ["a","b"]']);
    expect(detailLines({ from: "suspended", to: "active", departments: [] })).toEqual(["from: suspended", "to: active", "departments: none"]);
    expect(detailLines({ before: "x" })).toEqual(["before: x"]);
    expect(detailLines({})).toEqual([]);
    expect(detailLines(null)).toEqual([]);
  });
});
