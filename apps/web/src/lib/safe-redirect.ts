/** A path on this origin to return to after signing in (`/x?y`), or undefined: never another site. */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return undefined;
  return value.length <= 2048 ? value : undefined;
}
