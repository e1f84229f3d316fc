/**
 * Building blocks of the output schemas (see ./index.ts). Outputs are what the wire carries after JSON: timestamps
 * are ISO-8601 strings, ids UUID strings. Objects are strict, so a field a service adds without adding it here
 * fails the drift test (openapi/outputs.test.ts) instead of going undocumented.
 */
import { z } from "zod";

export const uuid = z.uuid();
/** A timestamp as the wire carries it: `Date.toISOString()` (`2026-01-31T12:00:00.000Z`). */
export const timestamp = z.iso.datetime({ offset: true });

/** `{ ok: true }`: the answer of a mutation with nothing else to say. */
export const ok = z.strictObject({ ok: z.literal(true) });
/** `{ ok: true, id }`: a deletion, naming what was deleted. */
export const deleted = z.strictObject({ ok: z.literal(true), id: uuid });

/** A list page (contract: `{ items, nextCursor }`; pass `nextCursor` back as `cursor` for the next page). */
export const page = <Item extends z.ZodType>(item: Item) =>
  z.strictObject({
    items: z.array(item),
    nextCursor: z.string().nullable().describe("The next page's `cursor`; null on the last page."),
  });
