import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { securityEventKinds } from "../../routers/auth/security-log.service";
import { ok, page, timestamp, uuid } from "./common";

const user = z.strictObject({
  id: uuid,
  email: z.string(),
  name: z.string(),
  isPlatformAdmin: z.boolean(),
  emailVerified: z.boolean(),
  mfaEnabled: z.boolean(),
});

export const authOutputs = {
  register: z.strictObject({
    user: z.strictObject({ id: uuid, email: z.string(), name: z.string(), emailVerified: z.literal(false) }),
  }),
  login: z.discriminatedUnion("mfaRequired", [
    z.strictObject({ mfaRequired: z.literal(false), user }),
    z.strictObject({
      mfaRequired: z.literal(true),
      challenge: z.string().describe("Pass to `auth.loginMfa` with a code (5 minutes, 5 codes)."),
    }),
  ]),
  loginMfa: z.strictObject({ user }),
  logout: ok,
  me: z.strictObject({
    user,
    memberships: z.array(
      z.strictObject({
        tenant: z.strictObject({ id: uuid, slug: z.string(), name: z.string(), parentId: uuid.nullable() }),
        role: z.enum(memberRole.enumValues),
      }),
    ),
  }),
  changePassword: ok,
  verifyEmail: ok,
  resendVerification: ok,
  requestPasswordReset: ok,
  resetPassword: ok,
  sessions: page(
    z.strictObject({
      id: z.string(),
      createdAt: timestamp,
      lastSeenAt: timestamp,
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      current: z.boolean(),
    }),
  ),
  revokeSession: ok,
  signOutEverywhere: ok,
  securityLog: page(
    z.strictObject({
      at: timestamp,
      event: z.enum(securityEventKinds),
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
    }),
  ),
  mfa: {
    setup: z.strictObject({ secret: z.string(), otpauthUrl: z.string() }),
    enable: z.strictObject({ recoveryCodes: z.array(z.string()).describe("10 single-use codes, shown this once.") }),
    disable: ok,
  },
};
