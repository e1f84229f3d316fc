/**
 * A platform audit entry's `details` (free-form JSON written by each action) as short lines for people: a change
 * recorded as `{ before, after }` lists what changed ("tier: free → pro"), anything else its fields ("reason: …").
 */
function show(value: unknown): string {
  if (value === null || value === undefined) return "default";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const json = JSON.stringify(value);
  return json === "{}" || json === "[]" ? "none" : json;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function detailLines(details: unknown): string[] {
  if (!isRecord(details)) return [];
  const lines: string[] = [];
  const { before, after, ...rest } = details;
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) {
        lines.push(`${key}: ${show(before[key])} → ${show(after[key])}`);
      }
    }
    if (lines.length === 0) lines.push("no change");
  } else {
    if (before !== undefined) rest.before = before;
    if (after !== undefined) rest.after = after;
  }
  for (const [key, value] of Object.entries(rest)) lines.push(`${key}: ${show(value)}`);
  return lines;
}
