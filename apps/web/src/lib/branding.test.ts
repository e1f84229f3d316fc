import { describe, expect, it } from "vitest";
import { applyBranding, brandStyle, contrastText, hoverColor, safeHexColor, safeLogoUrl } from "./branding";

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

/** WCAG contrast ratio of two #rrggbb colors. */
function ratio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("text on any brand color", () => {
  it("reaches WCAG AA (4.5:1) on the color and on its hover, for every color of a 16-step grid", () => {
    const steps = Array.from({ length: 16 }, (_, i) => (i * 17).toString(16).padStart(2, "0"));
    const failures: string[] = [];
    for (const r of steps) for (const g of steps) for (const b of steps) {
      const color = `#${r}${g}${b}`;
      const text = contrastText(color);
      if (ratio(color, text) < 4.5 || ratio(hoverColor(color), text) < 4.5) failures.push(color);
    }
    expect(failures).toEqual([]);
    // A mid-tone where near-black falls short: pure black.
    expect(contrastText("#27847d")).toBe("#000000");
  });
});

describe("hoverColor", () => {
  it("moves away from the text color: darker under white text, lighter under dark text", () => {
    expect(hoverColor("#4f46e5")).toBe("#433cc3");
    expect(hoverColor("#0f766e")).toBe("#0d645e");
    expect(contrastText("#fde047")).toBe("#0f172a");
    expect(hoverColor("#fde047")).toBe("#fde563");
    expect(hoverColor("#fff")).toBe("#ffffff");
  });
});

describe("brandStyle", () => {
  it("sets the custom properties for a valid color only", () => {
    expect(brandStyle("#0f766e")).toEqual({ "--brand": "#0f766e", "--brand-contrast": "#ffffff", "--brand-hover": "#0d645e" });
    expect(brandStyle("expression(alert(1))")).toEqual({});
  });
});

describe("safeLogoUrl", () => {
  it("keeps https URLs only", () => {
    expect(safeLogoUrl("https://cdn.example.com/logo.png")).toBe("https://cdn.example.com/logo.png");
    expect(safeLogoUrl("http://cdn.example.com/logo.png")).toBeNull();
    expect(safeLogoUrl("javascript:alert(1)")).toBeNull();
    expect(safeLogoUrl("data:image/svg+xml,<svg onload=alert(1)>")).toBeNull();
    expect(safeLogoUrl("https://user:pw@example.com/x.png")).toBeNull();
    expect(safeLogoUrl("//example.com/logo.png")).toBeNull();
    expect(safeLogoUrl(null)).toBeNull();
  });
});

describe("applyBranding", () => {
  it("sets valid colors as custom properties on the root and removes them again", () => {
    const root = document.createElement("div");
    const undo = applyBranding({ primaryColor: "#0F766E", secondaryColor: "#f59e0b" }, root);
    expect(root.style.getPropertyValue("--brand")).toBe("#0f766e");
    expect(root.style.getPropertyValue("--brand-contrast")).toBe("#ffffff");
    expect(root.style.getPropertyValue("--brand-secondary")).toBe("#f59e0b");
    undo();
    expect(root.style.getPropertyValue("--brand")).toBe("");
  });

  it("ignores anything that is not a hex color, leaving the default theme", () => {
    const root = document.createElement("div");
    applyBranding({ primaryColor: "red;background:url(https://evil.test)", secondaryColor: "#fff}body{" }, root);
    expect(root.getAttribute("style") ?? "").toBe("");
  });
});
