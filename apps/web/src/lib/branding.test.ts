import { describe, expect, it } from "vitest";
import { brandStyle, contrastText, safeHexColor } from "./branding";

describe("safeHexColor", () => {
  it("accepts #rgb and #rrggbb", () => {
    expect(safeHexColor("#4F46E5")).toBe("#4f46e5");
    expect(safeHexColor("#fff")).toBe("#fff");
  });

  it.each([
    "red",
    "#12345",
    "#1234567",
    "4f46e5",
    "#4f46e5; background:url(https://evil.test)",
    "#fff}body{display:none",
    "var(--x)",
    "",
    null,
    undefined,
    42,
    { toString: () => "#ffffff" },
  ])("rejects %s", (value) => {
    expect(safeHexColor(value)).toBeNull();
  });
});

describe("contrastText", () => {
  it("puts white on dark colors and dark on light ones", () => {
    expect(contrastText("#4f46e5")).toBe("#ffffff");
    expect(contrastText("#000")).toBe("#ffffff");
    expect(contrastText("#fde047")).toBe("#0f172a");
    expect(contrastText("#ffffff")).toBe("#0f172a");
  });
});

describe("brandStyle", () => {
  it("sets the custom properties for a valid color only", () => {
    expect(brandStyle("#0f766e")).toEqual({ "--brand": "#0f766e", "--brand-contrast": "#ffffff" });
    expect(brandStyle("expression(alert(1))")).toEqual({});
  });
});
