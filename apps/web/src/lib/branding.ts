/**
 * Tenant branding reaches the page only as validated CSS custom properties (`--brand`, `--brand-contrast`,
 * `--brand-hover`) set through React's style object: a branding value is never concatenated into CSS text or HTML.
 */
import type { CSSProperties } from "react";

const hex = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The color if it is a `#rgb` / `#rrggbb` hex color, else null. */
export function safeHexColor(value: unknown): string | null {
  return typeof value === "string" && hex.test(value) ? value.toLowerCase() : null;
}

/**
 * White or near-black, whichever reads better on `color` (WCAG relative luminance); pure black for the mid-tones
 * where neither reaches 4.5:1 (black always does when white does not).
 */
export function contrastText(color: string): "#ffffff" | "#0f172a" | "#000000" {
  let h = color.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white vs against near-black (#0f172a, luminance ≈ 0.0099).
  const onWhite = 1.05 / (luminance + 0.05);
  const onSlate = (luminance + 0.05) / 0.0599;
  if (Math.max(onWhite, onSlate) < 4.5) return "#000000";
  return onWhite >= onSlate ? "#ffffff" : "#0f172a";
}

/**
 * The brand color under the pointer: 15% further from its text color (darker under white text, lighter under dark
 * text), so hovering never lowers the text's contrast (a translucent hover took a teal button below WCAG AA).
 */
export function hoverColor(color: string): string {
  let h = color.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const toward = contrastText(color) === "#ffffff" ? 0 : 255;
  return `#${[0, 2, 4]
    .map((i) => Math.round(parseInt(h.slice(i, i + 2), 16) * 0.85 + toward * 0.15).toString(16).padStart(2, "0"))
    .join("")}`;
}

/** The custom properties of one brand color. */
function primaryVariables(color: string): Record<string, string> {
  return { "--brand": color, "--brand-contrast": contrastText(color), "--brand-hover": hoverColor(color) };
}

/** Style with the brand custom properties, or an empty style (the default theme) for an invalid color. */
export function brandStyle(primaryColor: unknown): CSSProperties {
  const color = safeHexColor(primaryColor);
  return (color ? primaryVariables(color) : {}) as CSSProperties;
}

/** The logo URL if it is an absolute https URL without credentials, else null (never rendered otherwise). */
export function safeLogoUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 2048) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

export interface BrandingLike {
  primaryColor?: unknown;
  secondaryColor?: unknown;
}

/** The custom properties a tenant's branding sets on the page (only the valid ones). */
export function brandVariables(branding: BrandingLike | null | undefined): Record<string, string> {
  const primary = safeHexColor(branding?.primaryColor);
  const vars: Record<string, string> = primary ? primaryVariables(primary) : {};
  const secondary = safeHexColor(branding?.secondaryColor);
  if (secondary) vars["--brand-secondary"] = secondary;
  return vars;
}

/**
 * Sets the branding variables on <html> (so dialogs and menus portalled to <body> are branded too), one property
 * at a time through the CSSOM; returns a function that removes them again.
 */
export function applyBranding(branding: BrandingLike | null | undefined, root: HTMLElement = document.documentElement): () => void {
  const vars = brandVariables(branding);
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
  return () => {
    for (const name of Object.keys(vars)) root.style.removeProperty(name);
  };
}
