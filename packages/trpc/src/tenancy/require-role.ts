/** The caller's role in the tenant is `min` or higher (roles.ts: viewer < agent < admin < owner): FORBIDDEN otherwise. */
import { TRPCError } from "@trpc/server";
import type { Role } from "@switchboard/db";
import { middlewareOn } from "../trpc";
import { roleRank } from "./roles";

export function requireRole(min: Role) {
  return middlewareOn<{ role: Role }>()(function requireRole({ ctx, next }) {
    if (roleRank[ctx.role] < roleRank[min]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${min} role or higher` });
    }
    return next();
  });
}
