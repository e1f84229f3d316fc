/** Roles and their order: what a role may do is "this rank or higher" (procedures.ts, requireRole). */
import { and, eq, inArray } from "drizzle-orm";
import { memberships, type Role, type Tenant, type Tx } from "@switchboard/db";

export const roleRank: Record<Role, number> = { viewer: 1, agent: 2, admin: 3, owner: 4 };

/** The highest of `roles`; null for none. */
export function highestRole(roles: Iterable<Role>): Role | null {
  let best: Role | null = null;
  for (const r of roles) if (!best || roleRank[r] > roleRank[best]) best = r;
  return best;
}

/**
 * The caller's role in `tenant`: their own membership, or their membership in its parent (access flows down
 * to departments, never up or sideways). The higher one wins.
 */
export async function roleIn(
  tx: Tx,
  tenant: Pick<Tenant, "id" | "parentId">,
  userId: string,
): Promise<Role | null> {
  const ids = tenant.parentId ? [tenant.id, tenant.parentId] : [tenant.id];
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), inArray(memberships.tenantId, ids)));
  return highestRole(rows.map((r) => r.role));
}
