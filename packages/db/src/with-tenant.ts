/**
 * The only way application code reaches tenant rows: one transaction whose first statement sets the RLS scope.
 * Edit here when a new scope setting is added (and add it to schema/policies.ts).
 *
 * Settings are transaction-local (`set_config(name, value, true)`), so a pooled connection never carries one
 * request's tenant into the next. Values travel as bound parameters, never spliced into SQL.
 */
import { sql } from "drizzle-orm";
import type { DbHandle, Tx } from "./client";

export interface Scope {
  tenantId?: string | null;
  /** The current tenant's parent, when it is a department (lets it read the parent row for inheritance). */
  parentTenantId?: string | null;
  userId?: string | null;
  /** Lets tenant resolution read exactly one tenant row by its slug before membership is known. */
  tenantSlug?: string | null;
  /** Lets API-key authentication read exactly one key row by its hash before the tenant is known. */
  apiKeyHash?: string | null;
  /** Lets invitation acceptance read exactly one invitation by its token's hash before the tenant is known. */
  invitationTokenHash?: string | null;
}

type ScopedDb = Pick<DbHandle, "transaction" | "scopeRole">;

/**
 * Pipelined: the scope statement is sent without waiting for its reply, so it travels with `fn`'s first query
 * (postgres.js writes queries issued on a transaction's connection back to back, and the server runs them in
 * order; PGlite runs them in call order). One round trip saved per transaction. If setting the scope fails, the
 * transaction is aborted, every later statement in it fails too, and the whole call rejects.
 */
export function withScope<T>(handle: ScopedDb, scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return handle.transaction(async (tx) => {
    const role = handle.scopeRole ? sql`, set_config('role', ${handle.scopeRole}, true)` : sql``;
    // `.then` starts the query now; it is queued on the connection before anything `fn` sends.
    const scoped = tx
      .execute(sql`select
      set_config('app.tenant_id', ${scope.tenantId ?? ""}, true),
      set_config('app.parent_tenant_id', ${scope.parentTenantId ?? ""}, true),
      set_config('app.user_id', ${scope.userId ?? ""}, true),
      set_config('app.tenant_slug', ${scope.tenantSlug ?? ""}, true),
      set_config('app.api_key_hash', ${scope.apiKeyHash ?? ""}, true),
      set_config('app.invitation_token_hash', ${scope.invitationTokenHash ?? ""}, true)${role}`)
      .then(() => undefined);
    let work: Promise<T>;
    try {
      work = fn(tx);
    } catch (err) {
      work = Promise.reject(err as Error);
    }
    const [, result] = await Promise.all([scoped, work]);
    return result;
  });
}

/**
 * Narrows an open scoped transaction to one tenant (after resolving it by slug in the same transaction).
 * Clears the slug and token scopes so that only the tenant's own rows stay visible.
 */
export async function enterTenant(tx: Tx, tenant: { id: string; parentId: string | null }): Promise<void> {
  await tx.execute(sql`select
    set_config('app.tenant_id', ${tenant.id}, true),
    set_config('app.parent_tenant_id', ${tenant.parentId ?? ""}, true),
    set_config('app.tenant_slug', '', true),
    set_config('app.api_key_hash', '', true),
    set_config('app.invitation_token_hash', '', true)`);
}

/**
 * Replaces every scope setting of an open scoped transaction (e.g. back to resolving a tenant by slug when a
 * guessed tenant scope turned out wrong).
 */
export async function setScope(tx: Tx, scope: Scope): Promise<void> {
  await tx.execute(sql`select
    set_config('app.tenant_id', ${scope.tenantId ?? ""}, true),
    set_config('app.parent_tenant_id', ${scope.parentTenantId ?? ""}, true),
    set_config('app.user_id', ${scope.userId ?? ""}, true),
    set_config('app.tenant_slug', ${scope.tenantSlug ?? ""}, true),
    set_config('app.api_key_hash', ${scope.apiKeyHash ?? ""}, true),
    set_config('app.invitation_token_hash', ${scope.invitationTokenHash ?? ""}, true)`);
}

/** Runs `fn` inside tenant `tenantId` acting as `userId` (null for API keys and system work). */
export function withTenant<T>(
  handle: ScopedDb,
  scope: { tenantId: string; parentTenantId?: string | null; userId?: string | null },
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withScope(handle, scope, fn);
}
