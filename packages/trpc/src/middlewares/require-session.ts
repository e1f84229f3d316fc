/** A signed-in user (session cookie): UNAUTHORIZED otherwise. */
import { TRPCError } from "@trpc/server";
import { middleware } from "../trpc";

export const requireSession = middleware(function requireSession({ ctx, next }) {
  if (!ctx.user || !ctx.sessionId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { user: ctx.user, sessionId: ctx.sessionId } });
});
