/**
 * The composer's `/` shortcut: a `/word` typed at the start of the text or after a space opens the canned
 * responses whose shortcut or title starts with (or contains) the word; choosing one replaces the `/word` with
 * the response's body.
 */

/** What the shortcut reads of a canned response (a row of cannedResponses.list). */
export interface CannedChoice {
  id: string;
  shortcut: string;
  title: string;
  body: string;
}

/** The `/word` being typed just before the caret: where it starts and the word, or null when there is none. */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/([a-z0-9_-]{0,32})$/i.exec(before);
  if (!m) return null;
  return { start: before.length - m[2]!.length - 1, query: m[2]!.toLowerCase() };
}

/** Responses for a query: shortcut prefix matches first, then shortcut or title containing it; at most `max`. */
export function matchCanned<C extends CannedChoice>(all: readonly C[], query: string, max = 8): C[] {
  const q = query.toLowerCase();
  const prefix = all.filter((c) => c.shortcut.startsWith(q));
  const inner = all.filter((c) => !c.shortcut.startsWith(q) && (c.shortcut.includes(q) || c.title.toLowerCase().includes(q)));
  return [...prefix, ...inner].slice(0, max);
}

/** The text with the `/word` at `start..caret` replaced by `body`, and where the caret goes afterwards. */
export function insertCanned(text: string, start: number, caret: number, body: string): { text: string; caret: number } {
  const next = text.slice(0, start) + body + text.slice(caret);
  return { text: next, caret: start + body.length };
}
