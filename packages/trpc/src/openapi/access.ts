/**
 * Who may call a procedure, read from the named steps its base procedure runs (procedures.ts): the reference
 * states it per operation, and it cannot disagree with the code because it is the code.
 */
import type { Role } from "@switchboard/db";
import { roleRank } from "../tenancy/roles";
import type { Step } from "./driver/trpc-procedures";

export interface Access {
  /** `tenant`: inside the request's tenant; `session`: a signed-in person, any host; `open`: anyone, per-address limit. */
  kind: "tenant" | "session" | "platform" | "open" | "public";
  /** An API key (`Authorization: Bearer`) may call it. */
  apiKey: boolean;
  /** Tenant procedures: the lowest role allowed. */
  lowestRole: Role | null;
}

const roles = (Object.keys(roleRank) as Role[]).sort((a, b) => roleRank[a] - roleRank[b]);

/**
 * The lowest role a `requireRole(min)` step admits. The step keeps `min` in a closure, so it is asked: run with
 * each role from the lowest, the first it does not refuse is `min`. It reads only `ctx.role`.
 */
async function lowestRoleAdmittedBy(step: Step): Promise<Role> {
  for (const role of roles) {
    const admitted = await Promise.resolve()
      .then(() => step({ ctx: { role }, next: async () => ({ ok: true }) }))
      .then(
        () => true,
        () => false,
      );
    if (admitted) return role;
  }
  throw new Error("requireRole admits no role");
}

export async function accessOf(steps: readonly Step[]): Promise<Access> {
  const has = (name: string) => steps.some((s) => s.name === name);
  const roleStep = steps.find((s) => s.name === "requireRole");
  if (has("openTenantTransaction")) {
    return { kind: "tenant", apiKey: !has("peopleOnly"), lowestRole: roleStep ? await lowestRoleAdmittedBy(roleStep) : "viewer" };
  }
  if (has("requirePlatformPowers")) return { kind: "platform", apiKey: false, lowestRole: null };
  if (has("requireSession")) return { kind: "session", apiKey: false, lowestRole: null };
  if (has("limitAuthByAddress")) return { kind: "open", apiKey: false, lowestRole: null };
  return { kind: "public", apiKey: false, lowestRole: null };
}

/** One sentence for the operation's description. */
export function describeAccess(access: Access): string {
  switch (access.kind) {
    case "tenant": {
      const role = access.lowestRole === "viewer" ? "any member" : `a member with role \`${access.lowestRole}\` or higher`;
      const how = access.apiKey ? "a session (with `x-tenant` or the tenant's host) or an API key" : "a session only (an API key is `FORBIDDEN`)";
      return `Tenant: ${role}, by ${how}.`;
    }
    case "platform":
      return "Platform admins with two-factor authentication, by session.";
    case "session":
      return "A signed-in person (session cookie), on any host.";
    case "open":
      return "No sign-in; limited per client address (`TOO_MANY_REQUESTS` with `Retry-After`).";
    case "public":
      return "No sign-in.";
  }
}
