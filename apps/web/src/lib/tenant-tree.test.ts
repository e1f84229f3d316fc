import { describe, expect, it } from "vitest";
import { tenantTree } from "./tenant-tree";

describe("tenantTree", () => {
  it("puts departments under their organisation, each level by name", () => {
    const items = [
      { id: "3", name: "Globex", parentId: null },
      { id: "2", name: "Acme Sales", parentId: "1" },
      { id: "4", name: "Acme Support", parentId: "1" },
      { id: "1", name: "Acme Corporation", parentId: null },
      { id: "5", name: "Orphan Dept", parentId: "not-visible" },
    ];
    expect(tenantTree(items).map(({ tenant, depth }) => `${depth}:${tenant.name}`)).toEqual([
      "0:Acme Corporation",
      "1:Acme Sales",
      "1:Acme Support",
      "0:Globex",
      "0:Orphan Dept",
    ]);
  });
});
