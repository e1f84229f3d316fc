/**
 * Tenant branding reaches the page only as validated CSS custom properties (`--brand`, `--brand-contrast`) set
 * through React's style object: a branding value is never concatenated into CSS text or HTML.
 */
import type { CSSProperties } from "react";

const hex = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The color if it is a `#rgb` / `#rrggbb` hex color, else null. */
export function safeHexColor(value: unknown): string | null {
  return typeof value === "string" && hex.test(value) ? value.toLowerCase() : null;
}

/** Black or white, whichever reads better on `color` (WCAG relative luminance). */
export function contrastText(color: string): "#ffffff" | "#0f172a" {
  let h = color.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white vs against near-black (#0f172a, luminance ≈ 0.0099).
  return (1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0599 ? "#ffffff" : "#0f172a");
}

/** Style with the brand custom properties, or an empty style (the default theme) for an invalid color. */
export function brandStyle(primaryColor: unknown): CSSProperties {
  const color = safeHexColor(primaryColor);
  if (!color) return {};
  return { "--brand": color, "--brand-contrast": contrastText(color) } as CSSProperties;
}
