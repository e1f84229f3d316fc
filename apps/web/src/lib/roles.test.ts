import { describe, expect, it } from "vitest";
import { permissions, roleFor } from "./roles";

describe("permissions", () => {
  it("follows the contract's role matrix", () => {
    expect(permissions("viewer")).toMatchObject({ canWrite: false, canManageAgents: false, canAdmin: false, isOwner: false });
    expect(permissions("agent")).toMatchObject({ canWrite: true, canManageAgents: false, canAdmin: false, isOwner: false });
    expect(permissions("admin")).toMatchObject({ canWrite: true, canManageAgents: true, canAdmin: true, isOwner: false });
    expect(permissions("owner")).toMatchObject({ canWrite: true, canManageAgents: true, canAdmin: true, isOwner: true });
  });

  it("grants nothing without a role", () => {
    expect(permissions(null)).toMatchObject({ canWrite: false, canManageAgents: false, canAdmin: false, isOwner: false });
  });
});

describe("roleFor", () => {
  const memberships = [{ tenant: { slug: "acme" }, role: "admin" as const }];
  it("prefers tenants.list, which includes departments reached through the parent", () => {
    const tenants = [
      { slug: "acme", role: "admin" as const },
      { slug: "acme-sales", role: "admin" as const },
    ];
    expect(roleFor("acme-sales", tenants, memberships)).toBe("admin");
  });
  it("falls back to direct memberships, and to no role", () => {
    expect(roleFor("acme", undefined, memberships)).toBe("admin");
    expect(roleFor("globex", undefined, memberships)).toBeNull();
    expect(roleFor(null, undefined, memberships)).toBeNull();
  });
});
