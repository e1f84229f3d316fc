/**
 * The input layer's text rule, applied to every procedure's RAW input (JSON body, `?input=` of a GET, each call of a
 * batch) before its schema, handler or any database call (see `rejectUnsafeText` in trpc.ts): no string, and no
 * object key, may contain U+0000 or a lone UTF-16 surrogate. PostgreSQL refuses NUL in text (a 500 if it got that
 * far), and a lone surrogate is not Unicode at all (stored, it silently becomes U+FFFD). One rule here instead of a
 * refinement on every string field, so a new procedure is covered without doing anything.
 *
 * The walk is iterative (no recursion to overflow) and bounded: inputs nested deeper than `maxDepth` or with more
 * than `maxNodes` values are refused too; the body size limit keeps them small already, no procedure's input
 * comes close.
 */

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex
const unsafe = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const maxDepth = 32;
export const maxNodes = 20_000;

export interface UnsafeTextIssue {
  /** Where in the input, as zod reports paths (`["items", 0, "name"]`); empty for the input itself. */
  path: (string | number)[];
  message: string;
}

/** What is wrong with `s` ("contain …"), or null. */
function textProblem(s: string): string | null {
  const m = unsafe.exec(s);
  if (!m) return null;
  return m[0] === "\u0000" ? "contain the NUL character (U+0000)" : "contain unpaired UTF-16 surrogates";
}

/** The first string (or key) in `input` breaking the rule, or null when all of it is clean. */
export function findUnsafeText(input: unknown): UnsafeTextIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: input, path: [] }];
  let seen = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++seen > maxNodes) return { path: [], message: `Input has more than ${maxNodes} values` };
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { path, message: `Must not ${problem}` };
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (path.length >= maxDepth) return { path, message: `Input is nested more than ${maxDepth} levels deep` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const problem = textProblem(key);
      // The key itself is shown escaped: printing it raw would put the NUL or surrogate into the answer.
      if (problem) return { path: [...path, JSON.stringify(key).slice(1, -1)], message: `Property names must not ${problem}` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return null;
}

/**
 * The error's cause: shaped like a zod error (`issues`), so the error formatter reports it like any validation
 * failure ("Invalid input: name: Must not contain …", with `data.issues`).
 */
export class UnsafeTextError extends Error {
  readonly issues: UnsafeTextIssue[];
  constructor(issue: UnsafeTextIssue) {
    super(issue.message);
    this.name = "UnsafeTextError";
    this.issues = [issue];
  }
}
