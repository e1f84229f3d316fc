import type { TRPCRouterRecord } from "@trpc/server";
import { hashPassword } from "@switchboard/auth";
import { withScope } from "@switchboard/db";
import type { Context } from "../../context";
import { DomainError, notFound } from "../../errors";
import { authedProcedure } from "../../procedures";
import * as mail from "./account-mail.service";
import {
  changePasswordInput,
  listInput,
  loginInput,
  loginMfaInput,
  mfaCodeInput,
  registerInput,
  requestPasswordResetInput,
  resetPasswordInput,
  revokeSessionInput,
  verifyEmailInput,
} from "./auth.input";
import { authUserOf, changePassword, checkCredentials, myMemberships, registerUser } from "./auth.service";
import { openAuthProcedure } from "./auth-rate-limit";
import { throttledAttempt } from "./login-throttle";
import * as mfa from "./mfa.service";
import { listSecurityEvents, recordSecurityEvent } from "./security-log.service";
import { listSessions, sessionIdOfRef } from "./sessions.service";

/** A page on the bare domain (mailed account links), on the scheme and port the caller used. */
const accountUrl = (ctx: Pick<Context, "baseDomain" | "request">, path: string) =>
  `${ctx.request.protocol}://${ctx.baseDomain}${ctx.request.port}${path}`;

const where = (ctx: Pick<Context, "request">) => ({ ip: ctx.request.ip, userAgent: ctx.request.userAgent });

/** Signs the user in on this host: a new session (never a reused one) and its cookie. */
async function signIn(ctx: Context, userId: string) {
  const session = await ctx.auth.createSession(userId, ctx.request);
  ctx.setCookie(session.cookie);
}

const mfaRouter = {
  /** A new TOTP secret for the authenticator app (`otpauthUrl` for the QR code); MFA stays off until `enable`. */
  setup: authedProcedure.mutation(({ ctx }) => mfa.setupMfa(ctx.db.db, ctx.auth.secrets, ctx.user)),

  /** Proves the setup with a code; MFA is on. The 10 recovery codes are shown this once. */
  enable: authedProcedure.input(mfaCodeInput).mutation(async ({ ctx, input }) => {
    const result = await ctx.db.db.transaction((tx) => mfa.enableMfa(tx, ctx.auth.secrets, ctx.user.id, input.code, where(ctx)));
    await ctx.auth.userChanged(ctx.user.id);
    return result;
  }),

  /** A TOTP or recovery code turns MFA off (wrong codes count as failed sign-ins for the throttle). */
  disable: authedProcedure.input(mfaCodeInput).mutation(async ({ ctx, input }) => {
    if (!ctx.user.mfaEnabled) throw new DomainError("PRECONDITION_FAILED", "Two-factor authentication is not on");
    const ok = await throttledAttempt(ctx.db.db, ctx.user.email, ctx.request.ip, () =>
      ctx.db.db.transaction(async (tx) => {
        if (!(await mfa.redeemMfaCode(tx, ctx.auth.secrets, ctx.user.id, input.code, where(ctx)))) return false;
        await mfa.turnOffMfa(tx, ctx.user.id, where(ctx));
        return true;
      }),
    );
    if (!ok) throw new DomainError("BAD_REQUEST", "That code is not valid: check the time on your device and try again");
    await ctx.auth.userChanged(ctx.user.id);
    return { ok: true as const };
  }),
} satisfies TRPCRouterRecord;

export const authRouter = {
  /** Creates the account, signs in, and mails a verification link (24 h, single use). */
  register: openAuthProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const passwordHash = await hashPassword(input.password);
    const user = await withScope(ctx.db, {}, (tx) => registerUser(tx, input, passwordHash, accountUrl(ctx, "/verify-email")));
    await signIn(ctx, user.id);
    return { user };
  }),

  /** `{ user }` and a session; with MFA on, `{ mfaRequired: true, challenge }` and no session until `loginMfa`. */
  login: openAuthProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await checkCredentials(ctx.db.db, input, where(ctx), ctx.auth.platformAdminEmails);
    if (user.mfaEnabledAt) {
      return { mfaRequired: true as const, challenge: await mfa.createMfaChallenge(ctx.db.db, user.id) };
    }
    await recordSecurityEvent(ctx.db.db, user.id, "signed_in", where(ctx));
    await signIn(ctx, user.id);
    return { mfaRequired: false as const, user: authUserOf(user) };
  }),

  /** Completes a sign-in with MFA: a TOTP code or an unused recovery code. A challenge allows 5 codes in 5 minutes. */
  loginMfa: openAuthProcedure.input(loginMfaInput).mutation(async ({ ctx, input }) => {
    const userId = await mfa.spendChallengeAttempt(ctx.db.db, input.challenge);
    if (!userId) throw new DomainError("UNAUTHORIZED", "This sign-in has expired or had too many wrong codes: sign in again");
    const user = (await ctx.db.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, userId) }))!;
    const ok = await throttledAttempt(ctx.db.db, user.email, ctx.request.ip, () =>
      ctx.db.db.transaction((tx) => mfa.redeemMfaCode(tx, ctx.auth.secrets, userId, input.code, where(ctx))),
    );
    if (!ok) {
      await recordSecurityEvent(ctx.db.db, userId, "mfa_code_failed", where(ctx));
      throw new DomainError("UNAUTHORIZED", "That code is not valid");
    }
    await mfa.endChallenge(ctx.db.db, input.challenge);
    await recordSecurityEvent(ctx.db.db, userId, "signed_in", where(ctx));
    await signIn(ctx, userId);
    return { user: authUserOf(user) };
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.auth.invalidate(ctx.sessionId);
    await recordSecurityEvent(ctx.db.db, ctx.user.id, "signed_out", where(ctx));
    ctx.setCookie(ctx.auth.blankCookie());
    return { ok: true as const };
  }),

  me: authedProcedure.query(async ({ ctx }) => {
    const memberships = await withScope(ctx.db, { userId: ctx.user.id }, (tx) => myMemberships(tx, ctx.user.id));
    const { id, email, name, isPlatformAdmin, emailVerified, mfaEnabled } = ctx.user;
    return { user: { id, email, name, isPlatformAdmin, emailVerified, mfaEnabled }, memberships };
  }),

  /**
   * Every other session ends, and this one is replaced by a new session (new cookie): whoever held a copy of the
   * old token loses it too.
   */
  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.db.db, ctx.user.id, input, where(ctx));
    await ctx.auth.invalidateOtherSessions(ctx.user.id, ctx.sessionId);
    await ctx.auth.invalidate(ctx.sessionId);
    await signIn(ctx, ctx.user.id);
    return { ok: true as const };
  }),

  /** Redeems a mailed verification link (no session needed: the link may be opened in another browser). */
  verifyEmail: openAuthProcedure.input(verifyEmailInput).mutation(async ({ ctx, input }) => {
    const userId = await withScope(ctx.db, {}, (tx) => mail.verifyEmail(tx, input.token, ctx.auth.platformAdminEmails, where(ctx)));
    await ctx.auth.userChanged(userId);
    return { ok: true as const };
  }),

  /** Mails a new verification link to the caller's address (at most 5 an hour). */
  resendVerification: authedProcedure.mutation(async ({ ctx }) => {
    await withScope(ctx.db, { userId: ctx.user.id }, (tx) => mail.resendVerification(tx, ctx.user.id, accountUrl(ctx, "/verify-email")));
    return { ok: true as const };
  }),

  /** Always `{ ok: true }`, in about the same time, whether or not the address has an account. */
  requestPasswordReset: openAuthProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
    await withScope(ctx.db, {}, (tx) => mail.requestPasswordReset(tx, input.email, accountUrl(ctx, "/reset-password"), where(ctx)));
    return { ok: true as const };
  }),

  /** Redeems a reset link (1 h, single use): new password, and every session of the account ends. */
  resetPassword: openAuthProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    const passwordHash = await hashPassword(input.password);
    const userId = await withScope(ctx.db, {}, (tx) => mail.resetPassword(tx, input.token, passwordHash, where(ctx)));
    await ctx.auth.invalidateAllSessions(userId);
    return { ok: true as const };
  }),

  /** The caller's live sessions, newest first; `current` marks this one. */
  sessions: authedProcedure.input(listInput).query(({ ctx, input }) => listSessions(ctx.db.db, ctx.user.id, ctx.sessionId, input)),

  /** Ends one of the caller's sessions (this one too: then it is a sign-out). */
  revokeSession: authedProcedure.input(revokeSessionInput).mutation(async ({ ctx, input }) => {
    const sessionId = await sessionIdOfRef(ctx.db.db, ctx.user.id, input.id);
    if (!sessionId) throw notFound("Session");
    await ctx.auth.invalidate(sessionId);
    await recordSecurityEvent(ctx.db.db, ctx.user.id, "session_revoked", where(ctx));
    if (sessionId === ctx.sessionId) ctx.setCookie(ctx.auth.blankCookie());
    return { ok: true as const };
  }),

  /** Ends every other session of the caller. */
  signOutEverywhere: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.auth.invalidateOtherSessions(ctx.user.id, ctx.sessionId);
    await recordSecurityEvent(ctx.db.db, ctx.user.id, "signed_out_everywhere", where(ctx));
    return { ok: true as const };
  }),

  /** The caller's security log, newest first. */
  securityLog: authedProcedure.input(listInput).query(({ ctx, input }) => listSecurityEvents(ctx.db.db, ctx.user.id, input)),

  mfa: mfaRouter,
} satisfies TRPCRouterRecord;
