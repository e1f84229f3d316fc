/**
 * The known-tenant guess: slug → (tenant id, parent id), and API-key hash → (its tenant id, parent id), as this
 * process has resolved them, so a tenant procedure's transaction is scoped to the tenant from its first statement
 * and admits the caller in ONE query (tenancy/admission-queries). Only a guess: those queries check what they find
 * and admission falls back to resolving by slug or key hash when it differs, so a renamed or moved tenant is never
 * entered under a stale name and a key only ever reaches its own tenant.
 */
import type { Scope } from "@switchboard/db";
import { TtlCache } from "../lib/ttl-cache";
import type { Presented } from "./caller";

export interface KnownTenant {
  id: string;
  parentId: string | null;
}

/**
 * Kept 15 minutes: the admission queries verify every guess on every request (slug, parent, the key's own row and
 * tenant), so the lifetime only bounds memory and how often a caller is resolved again from scratch. A shorter one
 * sent a tenant called about once a minute through the slow path (three more statements) on every other minute.
 */
const knownTenants = new TtlCache<KnownTenant>({ ttlMs: 15 * 60_000, cap: 10_000 });

/** `slug:<slug>` or `key:<hash>`. */
const nameOf = (caller: Presented) =>
  caller.kind === "apiKey" ? `key:${caller.keyHash}` : `slug:${caller.slug}`;

export function rememberTenant(db: object, caller: Presented, tenant: KnownTenant): void {
  knownTenants.set(db, nameOf(caller), { id: tenant.id, parentId: tenant.parentId });
}

export function forgetTenant(db: object, caller: Presented): void {
  knownTenants.delete(db, nameOf(caller));
}

/** The first scope of a tenant procedure's transaction: the known tenant's, else what resolves the caller's. */
export function guessedScope(db: object, caller: Presented): Scope {
  const known = knownTenants.get(db, nameOf(caller));
  const userId = caller.kind === "user" ? caller.user.id : null;
  if (known) return { tenantId: known.id, parentTenantId: known.parentId, userId };
  return caller.kind === "apiKey" ? { apiKeyHash: caller.keyHash } : { tenantSlug: caller.slug, userId };
}
