/**
 * The auth procedures open without a session (register, login, loginMfa, requestPasswordReset, resetPassword,
 * verifyEmail) are limited per client address: AUTH_RATE_LIMIT_PER_MINUTE calls per fixed minute, counted in
 * `rate_limit_windows` under `auth:<ip>` (lib/rate-windows: shared by every replica, one atomic upsert per call, so
 * concurrent calls never slip past the count). It runs before the input is parsed: malformed calls count too.
 * Over the limit the answer is TOO_MANY_REQUESTS with the seconds left in the minute.
 */
import { configOf } from "../../context";
import { tooManyRequests } from "../../errors";
import { hitRateWindow } from "../../lib/rate-windows";
import { publicProcedure } from "../../procedures";

export const openAuthProcedure = publicProcedure.use(async function limitAuthByAddress({ ctx, next }) {
  const limit = configOf(ctx).authRateLimitPerMinute;
  if (limit > 0) {
    const hit = await hitRateWindow(ctx.db.db, `auth:${ctx.request.ip ?? "unknown"}`);
    if (hit.count > limit) throw tooManyRequests("Too many attempts from this address: wait a minute and try again", hit.secondsLeft);
  }
  return next();
});
