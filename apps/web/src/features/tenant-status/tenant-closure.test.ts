import { describe, expect, it } from "vitest";
import { tenantClosure } from "./tenant-closure";

const forbidden = (message: string) => ({ message, data: { code: "FORBIDDEN", httpStatus: 403 } });

describe("tenantClosure", () => {
  it("reads the state and the reason from the API's refusal", () => {
    expect(tenantClosure(forbidden("This tenant is suspended"))).toEqual({ status: "suspended", reason: null });
    expect(tenantClosure(forbidden("This tenant is archived"))).toEqual({ status: "archived", reason: null });
    expect(tenantClosure(forbidden("This tenant is suspended: Unpaid invoices since March.\nCall billing."))).toEqual({
      status: "suspended",
      reason: "Unpaid invoices since March.\nCall billing.",
    });
    expect(tenantClosure(forbidden("This tenant is suspended: "))).toEqual({ status: "suspended", reason: null });
  });

  it("is null for every other error", () => {
    expect(tenantClosure(forbidden("This tenant requires two-factor authentication"))).toBeNull();
    expect(tenantClosure(forbidden("You are not a member of this tenant"))).toBeNull();
    expect(tenantClosure(forbidden("This tenant is suspendedly odd"))).toBeNull();
    expect(tenantClosure({ message: "This tenant is suspended", data: { code: "NOT_FOUND", httpStatus: 404 } })).toBeNull();
    expect(tenantClosure(new TypeError("Failed to fetch"))).toBeNull();
    expect(tenantClosure(null)).toBeNull();
  });
});
