/**
 * Who is calling and for which tenant, as the first statements of the procedure's transaction: authenticates an
 * API key (read by its hash alone, before the tenant is known) or resolves the tenant by slug, then narrows the
 * scope to that tenant and reads the caller's role there (both sent together). When the tenant is known
 * (tenancy/known-tenants), the transaction starts in its scope and one query admits (tenancy/admission-queries).
 * Refuses outsiders, closed tenants and, where the tenant requires it, people without MFA. The ledger's `seen`
 * holds the tenant and key as soon as they are known, for the audit of a refusal.
 */
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import {
  type ApiKey,
  setScope,
  tenantScope,
  type Role,
  type Scope,
  type Tenant,
  type TenantSettings,
  tenants,
  type Tx,
} from "@switchboard/db";
import type { Context } from "../context";
import { hasPlatformPowers } from "../lib/platform-powers";
import { findPresentedKey, touchApiKey, usableKey } from "../routers/api-keys/api-keys.service";
import { tenantRequiresMfa } from "../routers/tenant/tenant.service";
import { admitKnownKey, admitKnownTenant } from "./admission-queries";
import { type Presented, unauthorized } from "./caller";
import { forgetTenant, rememberTenant } from "./known-tenants";
import type { TenantLedger } from "./ledger";
import { roleIn } from "./roles";

export interface Admitted {
  tenant: Tenant;
  key: ApiKey | null;
  /** The caller's role; null for a platform admin without a membership. */
  role: Role | null;
}

/**
 * The refusal of a closed tenant, matched by the dashboard's closed page: "This tenant is suspended" (": <reason>"
 * when the platform gave one for this tenant itself) or "This tenant is archived".
 */
function closedMessage(status: Tenant["status"], own: Pick<Tenant, "suspendedReason"> | null): string {
  const reason = status === "suspended" ? own?.suspendedReason : null;
  return reason ? `This tenant is ${status}: ${reason}` : `This tenant is ${status}`;
}

export async function admit(
  tx: Tx,
  ctx: Context,
  caller: Presented,
  first: Scope,
  ledger: TenantLedger,
): Promise<Admitted> {
  const user = caller.kind === "user" ? caller.user : null;
  let tenant: Tenant | undefined;
  let key: ApiKey | null = null;
  let role: Role | null;
  /** The parent's status when already read (null: no parent); undefined: not read yet. */
  let parentStatus: Tenant["status"] | null | undefined;
  /** The parent's settings (for `security.requireMfa`), read with its status. */
  let parentSettings: TenantSettings | null | undefined;
  const known = first.tenantId ? { id: first.tenantId, parentId: first.parentTenantId ?? null } : null;
  /** The guessed tenant was not the caller's (any more): forget it and resolve from `scope` in this transaction. */
  const unguess = (scope: Scope) => {
    forgetTenant(ctx.db, caller);
    return setScope(tx, { tenantId: null, parentTenantId: null, ...scope });
  };
  if (caller.kind === "apiKey") {
    // Scoped to the key's tenant already when this process has seen the key: one query admits.
    const fast = known ? await admitKnownKey(tx, known, caller.keyHash) : null;
    if (fast) {
      ({ key, tenant, parentStatus } = fast);
      if (!usableKey(key)) throw unauthorized("Invalid, expired or revoked API key");
    } else {
      if (known) await unguess({ apiKeyHash: caller.keyHash });
      key = (await findPresentedKey(tx, caller.keyHash)) ?? null;
      if (!key) throw unauthorized("Invalid, expired or revoked API key");
      const [, [row]] = await Promise.all([
        setScope(tx, tenantScope({ id: key.tenantId, parentId: null })),
        tx.select().from(tenants).where(eq(tenants.id, key.tenantId)),
      ]);
      tenant = row;
      if (!tenant) throw unauthorized("Invalid, expired or revoked API key");
      if (tenant.parentId) await setScope(tx, tenantScope(tenant));
      rememberTenant(ctx.db, caller, tenant);
    }
    // A key reaches its own tenant only: not its departments, not whatever the Host or x-tenant names.
    if (ctx.tenantSlug && ctx.tenantSlug !== tenant.slug) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This API key belongs to another tenant" });
    }
    ledger.seen = { tenant, key, user };
    await touchApiKey(tx, key);
    role = key.role;
  } else {
    // Scoped to the tenant already when the slug was known: one query admits.
    const fast = known ? await admitKnownTenant(tx, known, caller.slug, caller.user.id) : null;
    if (fast) {
      ({ tenant, role, parentStatus, parentSettings } = fast);
      ledger.seen = { tenant, key, user };
    } else {
      if (known) await unguess({ tenantSlug: caller.slug, userId: caller.user.id });
      [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, caller.slug));
      if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: `Tenant "${caller.slug}" not found` });
      ledger.seen = { tenant, key, user };
      [, role] = await Promise.all([setScope(tx, tenantScope(tenant)), roleIn(tx, tenant, caller.user.id)]);
      rememberTenant(ctx.db, caller, tenant);
    }
  }
  const platformAdmin = hasPlatformPowers(user);
  if (!role && !platformAdmin)
    throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this tenant" });
  // A department of an archived or suspended organisation is closed with it.
  if (parentStatus === undefined) {
    const [parent] = tenant.parentId
      ? await tx.select().from(tenants).where(eq(tenants.id, tenant.parentId))
      : [];
    parentStatus = parent?.status ?? null;
    parentSettings = parent?.settings ?? null;
  }
  const closedWithParent = Boolean(parentStatus && parentStatus !== "active");
  const status = closedWithParent ? parentStatus! : tenant.status;
  if (status !== "active" && !platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: closedMessage(status, closedWithParent ? null : tenant) });
  // security.requireMfa (the tenant's or its organisation's): people without MFA are refused; API keys are no people.
  if (
    user &&
    !user.mfaEnabled &&
    tenantRequiresMfa(tenant, parentSettings ? { settings: parentSettings } : null)
  ) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This tenant requires two-factor authentication" });
  }
  return { tenant, key, role };
}
