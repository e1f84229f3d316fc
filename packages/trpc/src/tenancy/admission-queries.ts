/**
 * Admission in one query when the tenant is known (tenancy/known-tenants): the transaction is already scoped to it,
 * so one prepared statement reads the tenant, its parent's status and settings and the caller's roles (a user) or
 * the key (an API key). They run on nearly every request, so each is built once per process (`reusableQuery`).
 */
import { and, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  type ApiKey,
  apiKeys,
  memberships,
  reusableQuery,
  type Role,
  type Tenant,
  type TenantSettings,
  tenants,
  type Tx,
} from "@switchboard/db";
import type { KnownTenant } from "./known-tenants";
import { highestRole } from "./roles";

const parentTenants = alias(tenants, "parent");

const admissionQuery = reusableQuery("admission", (db, name) =>
  db
    .select({
      tenant: tenants,
      parentStatus: parentTenants.status,
      parentSettings: parentTenants.settings,
      roles: sql<string | null>`(select string_agg(m.role::text, ',') from ${memberships} m
        where m.user_id = ${sql.placeholder("userId")} and m.tenant_id in (${tenants.id}, ${tenants.parentId}))`,
    })
    .from(tenants)
    .leftJoin(parentTenants, eq(parentTenants.id, tenants.parentId))
    .where(eq(tenants.id, sql.placeholder("tenantId")))
    .prepare(name),
);

/**
 * A signed-in user: the tenant row, its parent's status and settings and the caller's memberships there and in the
 * parent. Null when the row found is not the slug's tenant under the same parent any more (resolve by slug instead).
 */
export async function admitKnownTenant(
  tx: Tx,
  known: KnownTenant,
  slug: string,
  userId: string,
): Promise<{
  tenant: Tenant;
  parentStatus: Tenant["status"] | null;
  parentSettings: TenantSettings | null;
  role: Role | null;
} | null> {
  const [row] = await admissionQuery(tx, { tenantId: known.id, userId });
  if (!row || row.tenant.slug !== slug || row.tenant.parentId !== known.parentId) return null;
  const role = highestRole(row.roles ? (row.roles.split(",") as Role[]) : []);
  return { tenant: row.tenant, parentStatus: row.parentStatus, parentSettings: row.parentSettings, role };
}

const keyAdmissionQuery = reusableQuery("key-admission", (db, name) =>
  db
    .select({ key: apiKeys, tenant: tenants, parentStatus: parentTenants.status })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .leftJoin(parentTenants, eq(parentTenants.id, tenants.parentId))
    .where(
      and(eq(apiKeys.keyHash, sql.placeholder("keyHash")), eq(apiKeys.tenantId, sql.placeholder("tenantId"))),
    )
    .limit(2)
    .prepare(name),
);

/** An API key: the key by its hash, its tenant and the parent's status. Null when the key is not that tenant's (any more). */
export async function admitKnownKey(
  tx: Tx,
  known: KnownTenant,
  keyHash: string,
): Promise<{ key: ApiKey; tenant: Tenant; parentStatus: Tenant["status"] | null } | null> {
  const rows = await keyAdmissionQuery(tx, { tenantId: known.id, keyHash });
  const row = rows.length === 1 ? rows[0]! : null;
  if (!row || row.tenant.parentId !== known.parentId) return null;
  return row;
}
