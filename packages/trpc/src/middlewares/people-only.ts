/**
 * The rule "an API key works data, never access" (contract, "Who is calling"): procedures that manage who may do
 * what (members, invitations, keys, settings, the tenant itself, new tenants) refuse a key with FORBIDDEN, so a
 * leaked key cannot mint keys or let people in. Procedures opt in by being built on the access procedures
 * (procedures.ts).
 */
import { TRPCError } from "@trpc/server";
import type { Context } from "../context";
import { middlewareOn } from "../trpc";

export const peopleOnly = middlewareOn<Pick<Context, "apiKey" | "user">>()(function peopleOnly({
  ctx,
  next,
}) {
  if (ctx.apiKey)
    throw new TRPCError({ code: "FORBIDDEN", message: "API keys cannot manage access: sign in as a person" });
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { user: ctx.user } });
});
