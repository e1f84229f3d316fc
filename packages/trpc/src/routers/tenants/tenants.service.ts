import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { AuthUser } from "@switchboard/auth";
import {
  type DbHandle,
  memberships,
  type Role,
  type Tenant,
  tenants,
  tierDefaults,
  type Tx,
  withScope,
} from "@switchboard/db";
import { badRequest, conflict, forbidden, isUniqueViolation, notFound, preconditionFailed } from "../../errors";
import { lockTenant } from "../../lib/locks";
import { roleIn, roleRank } from "../../tenancy/roles";
import { recordAudit } from "../audit/audit.service";
import { listTenantsBySlug, tenantView, type TenantView } from "../tenant/tenant.service";

export interface MyTenant {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  role: Role;
  memberCount: number;
  maxUsers: number;
}

/** The caller's tenants: direct memberships, plus the departments below them (role inherited). */
export async function listMyTenants(tx: Tx, userId: string): Promise<MyTenant[]> {
  const direct = await tx
    .select({ tenant: tenants, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId));
  const roles = new Map(direct.map((d) => [d.tenant.id, d.role]));
  const parents = direct.filter((d) => !d.tenant.parentId).map((d) => d.tenant.id);
  const departments =
    parents.length > 0 ? await tx.select().from(tenants).where(inArray(tenants.parentId, parents)) : [];
  const all = new Map(direct.map((d) => [d.tenant.id, d.tenant]));
  for (const dep of departments) {
    const inherited = roles.get(dep.parentId!)!;
    const own = roles.get(dep.id);
    if (!own || roleRank[inherited] > roleRank[own]) roles.set(dep.id, inherited);
    all.set(dep.id, dep);
  }
  return [...all.values()]
    .filter((t) => t.status !== "archived")
    .map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      parentId: t.parentId,
      role: roles.get(t.id)!,
      memberCount: t.memberCount,
      maxUsers: t.maxUsers,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface CreateTenantOptions {
  request: { ip: string | null; userAgent: string | null };
  /** The tier of a new organisation (DEFAULT_TIER); a department takes its organisation's. */
  defaultTier: Tenant["tier"];
  /** Organisations one person may create (MAX_TENANTS_PER_USER); departments do not count. */
  maxTenantsPerUser: number;
}

/**
 * Creates an organisation (on the default tier) or a department under `parentId` (on its organisation's tier);
 * the caller becomes its owner.
 */
export async function createTenant(
  db: DbHandle,
  user: AuthUser,
  input: { name: string; slug: string; parentId?: string | undefined },
  opts: CreateTenantOptions,
): Promise<TenantView> {
  const { request } = opts;
  const userId = user.id;
  let tier: Tenant["tier"] = opts.defaultTier;
  if (input.parentId) {
    const parentId = input.parentId;
    const parent = await withScope(db, { userId }, async (tx) => {
      const [row] = await tx.select().from(tenants).where(eq(tenants.id, parentId));
      if (!row) return null;
      return { row, role: await roleIn(tx, row, userId) };
    });
    // A tenant the caller cannot see is reported like one that does not exist.
    if (!parent) throw notFound("Parent tenant");
    if (parent.row.parentId) throw badRequest("Departments cannot have departments of their own");
    if (!parent.role || roleRank[parent.role] < roleRank.admin) {
      throw forbidden("Only admins of the parent tenant can create departments");
    }
    tier = parent.row.tier;
  }
  const id = crypto.randomUUID();
  try {
    return await withScope(db, { tenantId: id, parentTenantId: input.parentId ?? null, userId }, async (tx) => {
      if (!input.parentId) await assertBelowTenantCap(tx, userId, opts.maxTenantsPerUser);
      await tx.insert(tenants).values({
        id,
        slug: input.slug,
        name: input.name,
        parentId: input.parentId ?? null,
        tier,
        maxUsers: tierDefaults[tier].maxUsers,
        createdBy: userId,
      });
      await tx.insert(memberships).values({ tenantId: id, userId, role: "owner" });
      // Not a tenant procedure (there is no tenant yet): the new tenant's trail starts with its creation.
      await recordAudit(tx, {
        tenantId: id,
        actor: { type: "user", id: userId, label: user.email },
        action: "tenants.create",
        resourceType: "tenant",
        resourceId: id,
        ip: request.ip,
        userAgent: request.userAgent,
        result: "success",
      });
      const [row] = await tx.select().from(tenants).where(eq(tenants.id, id));
      return tenantView(tx, row!);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`The address "${input.slug}" is taken`);
    throw err;
  }
}

/**
 * Self-service organisations per person: those they created and can still see (archived ones are on their way out
 * and do not count). Concurrent creations by one person queue on a lock, so the cap holds.
 */
async function assertBelowTenantCap(tx: Tx, userId: string, max: number) {
  await lockTenant(tx, "tenants-created-by", userId);
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(tenants)
    .where(and(eq(tenants.createdBy, userId), isNull(tenants.parentId), ne(tenants.status, "archived")));
  if (row!.n >= max) {
    throw preconditionFailed(`You can create at most ${max} organisations: archive one or ask the platform for more`);
  }
}

/** A tenant the caller may enter (member of it or of its parent), for the switcher. */
export async function findEnterableTenant(tx: Tx, userId: string, tenantId: string) {
  const [row] = await tx
    .select()
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), inArray(tenants.status, ["active"])));
  if (!row || !(await roleIn(tx, row, userId))) throw notFound("Tenant");
  return row;
}

/** Every tenant, by slug (platform admins only; scope: the admin as user). */
export function listAllTenants(tx: Tx, input: { limit: number; cursor?: string | undefined }) {
  return listTenantsBySlug(tx, undefined, input);
}
