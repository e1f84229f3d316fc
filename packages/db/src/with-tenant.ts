/**
 * The only way application code reaches tenant rows: one transaction whose first statement sets the RLS scope.
 * Edit here when a new scope setting is added (one line in `settings`, and its reader in schema/policies.ts).
 *
 * Settings are transaction-local (`set_config(name, value, true)`), so a pooled connection never carries one
 * request's tenant into the next. Values travel as bound parameters, never spliced into SQL.
 */
import { type SQL, sql } from "drizzle-orm";
import type { DbHandle, Tx } from "./client";
import { prepareSql, sendWithoutWaiting } from "./driver/index";
import { reusableQuery } from "./reusable-query";

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
 * `select set_config(…), …`, one per `[setting, value]`. The setting names are this file's constants (and `role`);
 * values are only ever parameters: bound values, or placeholders of a statement built once.
 */
function setConfig(entries: readonly [setting: string, value: unknown][]): SQL {
  const calls = entries.map(([setting, value]) => sql`set_config(${sql.raw(`'${setting}'`)}, ${value}, true)`);
  return sql`select ${sql.join(calls, sql`, `)}`;
}

/**
 * The first statement of every scoped transaction, built once per process (reusable-query.ts): every setting, each
 * value a placeholder named after its `Scope` field (empty clears it), and with `role` the role to assume. Rendering
 * it with Drizzle on every transaction cost as much CPU as the rest of the transaction's plumbing (bench/README.md,
 * issue #12).
 */
const enterScope = (role: boolean) =>
  reusableQuery<Record<string, string>, unknown>(role ? "scope+role" : "scope", (db, name) => {
    const entries = settings.map(([setting, field]): [string, unknown] => [setting, sql.placeholder(field)]);
    if (role) entries.push(["role", sql.placeholder("role")]);
    return prepareSql(db, setConfig(entries), name);
  });
const enterScopeAsIs = enterScope(false);
const enterScopeAsRole = enterScope(true);

/** The scope statement's values: every setting (unnamed ones empty) and, with a role, the role. */
function scopeValues(scope: Scope, role: string | null): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [, field] of settings) values[field] = scope[field] ?? "";
  if (role) values.role = role;
  return values;
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
  const role = handle.scopeRole;
  const enter = role ? enterScopeAsRole : enterScopeAsIs;
  return handle.transaction((tx) => sendWithoutWaiting(enter(tx, scopeValues(scope, role)), () => fn(tx)));
}

/**
 * Changes the scope of an open scoped transaction: writes the settings `scope` names (null or "" clears one)
 * and leaves the others as they are.
 */
export async function setScope(tx: Tx, scope: Scope): Promise<void> {
  const named = settings.filter(([, field]) => scope[field] !== undefined);
  if (named.length) await tx.execute(setConfig(named.map(([setting, field]) => [setting, scope[field] ?? ""])));
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
