/** The caller as the request presents it, before any database read: an API key (by its hash) or a signed-in user. */
import { TRPCError } from "@trpc/server";
import { type AuthUser, hashToken } from "@switchboard/auth";
import type { ApiKey } from "@switchboard/db";
import type { Context } from "../context";
import type { Actor } from "../routers/audit/audit.service";

export type Presented = { kind: "apiKey"; keyHash: string } | { kind: "user"; user: AuthUser; slug: string };

export const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });

/** An API key wins over a session (the API reads no cookie then); a user needs a tenant's host or `x-tenant`. */
export function presented(ctx: Context): Presented {
  if (ctx.apiKey) return { kind: "apiKey", keyHash: hashToken(ctx.apiKey) };
  const user = ctx.user;
  if (!user || !ctx.sessionId) throw unauthorized("Sign in first");
  const slug = ctx.tenantSlug;
  if (!slug)
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "No tenant for this host: use a tenant subdomain or the x-tenant header",
    });
  return { kind: "user", user, slug };
}

/** Who acts, as the audit trail names them: the key when one was presented, else the person. */
export function actorOf(key: ApiKey | null, user: AuthUser | null): Actor {
  return key
    ? { type: "apiKey", id: key.id, label: key.name }
    : { type: "user", id: user!.id, label: user!.email };
}
