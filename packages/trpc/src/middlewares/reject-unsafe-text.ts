/**
 * The input layer's one text rule (lib/unsafe-text.ts): a U+0000 or a lone surrogate anywhere in the raw input
 * (any string, any key, at any depth) is BAD_REQUEST naming its path, before the schema, the handler or the database
 * see it. Raw input is the JSON body or the `?input=` of a GET, per call of a batch.
 */
import { TRPCError } from "@trpc/server";
import { findUnsafeText, UnsafeTextError } from "../lib/unsafe-text";
import { middleware } from "../trpc";

export const rejectUnsafeText = middleware(async function rejectUnsafeText({ getRawInput, next }) {
  const issue = findUnsafeText(await getRawInput());
  if (issue)
    throw new TRPCError({ code: "BAD_REQUEST", message: issue.message, cause: new UnsafeTextError(issue) });
  return next();
});
