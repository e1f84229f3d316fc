import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect", () => {
  it("keeps paths on this origin only", () => {
    expect(safeRedirect("/invitations/accept?token=abc")).toBe("/invitations/accept?token=abc");
    expect(safeRedirect("//evil.test/x")).toBeUndefined();
    expect(safeRedirect("/\\evil.test")).toBeUndefined();
    expect(safeRedirect("https://evil.test")).toBeUndefined();
    expect(safeRedirect(undefined)).toBeUndefined();
  });
});
