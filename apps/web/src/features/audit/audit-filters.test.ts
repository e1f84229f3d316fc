import { describe, expect, it } from "vitest";
import { auditQueryInput, emptyAuditFilters } from "./audit-filters";

describe("auditQueryInput", () => {
  it("sends only the filters that are set", () => {
    expect(auditQueryInput(emptyAuditFilters)).toEqual({ limit: 25 });
    expect(auditQueryInput({ ...emptyAuditFilters, action: "  members.add ", result: "denied", resourceType: "member" })).toEqual({
      limit: 25,
      action: "members.add",
      result: "denied",
      resourceType: "member",
    });
  });

  it("turns a day range into [first midnight, midnight after the last day)", () => {
    const input = auditQueryInput({ ...emptyAuditFilters, from: "2030-01-05", to: "2030-01-05" });
    expect(input.from).toBe(new Date(2030, 0, 5).toISOString());
    expect(input.to).toBe(new Date(2030, 0, 6).toISOString());
  });

  it("ignores a malformed date", () => {
    expect(auditQueryInput({ ...emptyAuditFilters, from: "yesterday" })).toEqual({ limit: 25 });
  });
});
