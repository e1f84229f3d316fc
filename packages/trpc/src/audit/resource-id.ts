/** Which entity an audit record names. */

/** What a tenant procedure may write to the audit trail beyond what the audit steps derive (`ctx.audit`). */
export interface AuditNote {
  /** The changed entity's id when neither the result nor the input carries it as `id`/`userId`. */
  resourceId?: string | null;
  /** What the action did in figures and ids (an erasure's counts): never personal data or secrets. */
  details?: Record<string, number | string | boolean | null>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The changed entity's id: the procedure's note, else `id`/`userId` of the result, else of the input. The input is
 * the raw, unvalidated one (a refusal may come before validation): an id from it is kept only when it is a UUID, so
 * a caller cannot write text of their choosing into the log.
 */
export function resourceIdOf(note: AuditNote, data: unknown, input: unknown): string | null {
  if (note.resourceId !== undefined) return note.resourceId;
  for (const [source, trusted] of [
    [data, true],
    [input, false],
  ] as const) {
    if (!source || typeof source !== "object") continue;
    for (const field of ["id", "userId"]) {
      const v = (source as Record<string, unknown>)[field];
      if (typeof v === "string" && (trusted ? v.length <= 200 : uuidPattern.test(v))) return v;
    }
  }
  return null;
}
