/**
 * The only way application code reaches tenant rows: one transaction whose first statement sets the RLS scope.
 * Edit here when a new scope setting is added (one line in `settings`, and its reader in schema/policies.ts).
 *
 * Settings are transaction-local (`set_config(name, value, true)`), so a pooled connection never carries one
 * request's tenant into the next. Values travel as bound parameters, never spliced into SQL.
 */
import { type SQL, sql } from "drizzle-orm";
import type { DbHandle, Tx } from "./client";
import { sendWithoutWaiting } from "./driver/index";

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

/** Every scope setting, named as policies read it, and the `Scope` field it comes from. */
const settings: readonly [setting: string, field: keyof Scope][] = [
  ["app.tenant_id", "tenantId"],
  ["app.parent_tenant_id", "parentTenantId"],
  ["app.user_id", "userId"],
  ["app.tenant_slug", "tenantSlug"],
  ["app.api_key_hash", "apiKeyHash"],
  ["app.invitation_token_hash", "invitationTokenHash"],
];

/**
 * `select set_config(…), …` for the settings `scope` names (null clears one); with `all`, every setting, the
 * unnamed ones cleared. The setting names are this file's constants; only values are parameters.
 */
function setConfig(
  scope: Scope,
  { all = false, role = null }: { all?: boolean; role?: string | null } = {},
): SQL | null {
  const calls = settings
    .filter(([, field]) => all || scope[field] !== undefined)
    .map(([setting, field]) => sql`set_config(${sql.raw(`'${setting}'`)}, ${scope[field] ?? ""}, true)`);
  if (role) calls.push(sql`set_config('role', ${role}, true)`);
  return calls.length ? sql`select ${sql.join(calls, sql`, `)}` : null;
}

type ScopedDb = Pick<DbHandle, "transaction" | "scopeRole">;

/**
 * Runs `fn` in one transaction scoped to `scope` (settings it leaves out are empty): a tenant and user, or
 * just a slug / key hash / token hash while those are being resolved, or nothing (system work).
 *
 * Pipelined: the scope statement is sent without waiting for its reply, so it travels with `fn`'s first query
 * (driver/pipelined-transaction.ts). If setting the scope fails, the transaction is aborted, every later
 * statement in it fails too, and the whole call rejects.
 */
export function withScope<T>(handle: ScopedDb, scope: Scope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return handle.transaction((tx) =>
    sendWithoutWaiting(tx.execute(setConfig(scope, { all: true, role: handle.scopeRole })!), () => fn(tx)),
  );
}

/**
 * Changes the scope of an open scoped transaction: writes the settings `scope` names (null or "" clears one)
 * and leaves the others as they are.
 */
export async function setScope(tx: Tx, scope: Scope): Promise<void> {
  const statement = setConfig(scope);
  if (statement) await tx.execute(statement);
}

/**
 * The scope that narrows a transaction to one tenant (after resolving it by slug, key or token in the same
 * transaction): the tenant and its parent, slug and token scopes cleared so only the tenant's own rows stay
 * visible; the user is kept. Use as `setScope(tx, tenantScope(tenant))`.
 */
export function tenantScope(tenant: { id: string; parentId: string | null }): Scope {
  return {
    tenantId: tenant.id,
    parentTenantId: tenant.parentId,
    tenantSlug: null,
    apiKeyHash: null,
    invitationTokenHash: null,
  };
}
