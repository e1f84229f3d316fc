/**
 * Who may use platform powers: a platform admin with MFA on (contract, "Roles"). The database agrees: the policy
 * "platform admins see every tenant" holds only for such an account. H2's admission may replace this check with
 * its own helper; the rule stays the same.
 */
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../../trpc";

export const platformAdminProcedure = authedProcedure.use(function requirePlatformAdmin({ ctx, next }) {
  if (!ctx.user.isPlatformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only platform admins can do this" });
  if (!ctx.user.mfaEnabled) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Platform-admin powers need two-factor authentication: turn it on first" });
  }
  return next();
});
