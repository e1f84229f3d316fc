/**
 * Who may use platform powers: a platform admin with MFA on (contract, "Roles"; the one rule is
 * `hasPlatformPowers`), signed in as a person (an API key is FORBIDDEN: keys work data, never access). The database
 * agrees: the policy "platform admins see every tenant" holds only for such an account.
 */
import { TRPCError } from "@trpc/server";
import { hasPlatformPowers } from "../../lib/platform-powers";
import { accessProcedure } from "../../procedures";

export const platformAdminProcedure = accessProcedure.use(function requirePlatformPowers({ ctx, next }) {
  if (!ctx.user.isPlatformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only platform admins can do this" });
  if (!hasPlatformPowers(ctx.user)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Platform-admin powers need two-factor authentication: turn it on first" });
  }
  return next();
});
