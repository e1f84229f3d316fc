import { describe, expect, it } from "vitest";
import { permissions } from "../../lib/roles";
import { navItems, visibleNavItems } from "./nav-items";

const all = new Set(navItems.map((i) => i.to));
const labels = (role: Parameters<typeof permissions>[0]) => visibleNavItems(permissions(role), all).map((i) => i.label);

describe("visibleNavItems", () => {
  it("shows the admin screens to admins and owners only", () => {
    expect(labels("owner")).toContain("API keys");
    expect(labels("admin")).toContain("Audit log");
    expect(labels("admin")).toContain("Integrations");
    expect(labels("admin")).toContain("Data");
    for (const role of ["agent", "viewer", null] as const) {
      expect(labels(role)).not.toContain("API keys");
      expect(labels(role)).not.toContain("Audit log");
      expect(labels(role)).not.toContain("Integrations");
      expect(labels(role)).not.toContain("Data");
      expect(labels(role)).toContain("Overview");
      expect(labels(role)).toContain("Usage");
    }
  });

  it("leaves out screens the router does not have", () => {
    expect(visibleNavItems(permissions("owner"), new Set(["/", "/members"])).map((i) => i.label)).toEqual(["Overview", "Members"]);
  });
});
