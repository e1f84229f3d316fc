import type { TRPCRouterRecord } from "@trpc/server";
import { withScope } from "@switchboard/db";
import { authedProcedure, publicProcedure } from "../../trpc";
import { changePasswordInput, loginInput, registerInput } from "./auth.input";
import { changePassword, checkCredentials, myMemberships, registerUser } from "./auth.service";

export const authRouter = {
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const user = await registerUser(ctx.db.db, input);
    const session = await ctx.auth.createSession(user.id, ctx.request);
    ctx.setCookie(session.cookie);
    return { user };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await checkCredentials(ctx.db.db, input, ctx.request.ip);
    const session = await ctx.auth.createSession(user.id, ctx.request);
    ctx.setCookie(session.cookie);
    return { user };
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.auth.invalidate(ctx.sessionId);
    ctx.setCookie(ctx.auth.blankCookie());
    return { ok: true as const };
  }),

  me: authedProcedure.query(async ({ ctx }) => {
    const memberships = await withScope(ctx.db, { userId: ctx.user.id }, (tx) => myMemberships(tx, ctx.user.id));
    return { user: ctx.user, memberships };
  }),

  /**
   * Every other session ends, and this one is replaced by a new session (new cookie): whoever held a copy of the
   * old token loses it too.
   */
  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.db.db, ctx.user.id, input, ctx.request.ip);
    await ctx.auth.invalidateOtherSessions(ctx.user.id, ctx.sessionId);
    await ctx.auth.invalidate(ctx.sessionId);
    const session = await ctx.auth.createSession(ctx.user.id, ctx.request);
    ctx.setCookie(session.cookie);
    return { ok: true as const };
  }),
} satisfies TRPCRouterRecord;
